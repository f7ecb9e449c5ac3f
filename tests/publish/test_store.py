"""Write-audit-publish on files: versions, the atomic swap, rollback and pruning."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.publish.store import PublishError, VersionStore, new_version_id


def _build(store: VersionStore, run_id: str, value: int) -> None:
    with duckdb.connect(str(store.start_build(run_id))) as con:
        con.execute("CREATE OR REPLACE TABLE t AS SELECT ? AS v", [value])


def _published_value(store: VersionStore) -> int:
    with duckdb.connect(str(store.published), read_only=True) as con:
        return con.execute("SELECT max(v) FROM t").fetchone()[0]


def test_publish_replaces_the_published_file_and_keeps_versions(tmp_path):
    store = VersionStore(tmp_path / "vetdx.duckdb")
    _build(store, "run-aaaaaaaa", 1)
    store.publish("run-aaaaaaaa", "20260101T000000Z-aaaaaaaa", {}, keep=5)
    assert _published_value(store) == 1
    _build(store, "run-bbbbbbbb", 2)
    store.publish("run-bbbbbbbb", "20260102T000000Z-bbbbbbbb", {}, keep=5)
    assert _published_value(store) == 2
    assert store.current_version() == "20260102T000000Z-bbbbbbbb"
    assert [v["version_id"] for v in store.list_versions()] == [
        "20260102T000000Z-bbbbbbbb",
        "20260101T000000Z-aaaaaaaa",
    ]
    assert not (tmp_path / "builds" / "run-bbbbbbbb").exists()


def test_a_new_build_starts_from_the_published_data(tmp_path):
    store = VersionStore(tmp_path / "vetdx.duckdb")
    _build(store, "run-1", 7)
    store.publish("run-1", "20260101T000000Z-run-1", {}, keep=5)
    with duckdb.connect(str(store.start_build("run-2"))) as con:
        assert con.execute("SELECT v FROM t").fetchone()[0] == 7
        con.execute("INSERT INTO t VALUES (8)")
    # the unpublished build changed nothing analysts see
    assert _published_value(store) == 7


def test_rollback_restores_the_previous_version_and_a_named_one(tmp_path):
    store = VersionStore(tmp_path / "vetdx.duckdb")
    for i in (1, 2, 3):
        _build(store, f"run-{i}", i)
        store.publish(f"run-{i}", f"2026010{i}T000000Z-run-{i}", {}, keep=5)
    assert store.rollback() == "20260102T000000Z-run-2"
    assert _published_value(store) == 2
    assert store.rollback("20260101T000000Z-run-1") == "20260101T000000Z-run-1"
    assert _published_value(store) == 1
    with pytest.raises(PublishError, match="not kept"):
        store.rollback("20250101T000000Z-nope")


def test_prune_keeps_the_last_n_versions(tmp_path):
    store = VersionStore(tmp_path / "vetdx.duckdb")
    for i in range(1, 5):
        _build(store, f"run-{i}", i)
        store.publish(f"run-{i}", f"2026010{i}T000000Z-run-{i}", {}, keep=2)
    kept = [v["version_id"] for v in store.list_versions()]
    assert kept == ["20260104T000000Z-run-4", "20260103T000000Z-run-3"]
    assert len(list((tmp_path / "versions").glob("*.duckdb"))) == 2


def test_publishing_a_missing_build_fails_and_changes_nothing(tmp_path):
    store = VersionStore(tmp_path / "vetdx.duckdb")
    _build(store, "run-1", 1)
    store.publish("run-1", "20260101T000000Z-run-1", {}, keep=5)
    with pytest.raises(PublishError, match="missing"):
        store.publish("run-2", "20260102T000000Z-run-2", {}, keep=5)
    assert _published_value(store) == 1


def test_version_ids_sort_by_time():
    from datetime import UTC, datetime

    early = new_version_id("abcdef1234", datetime(2026, 1, 1, tzinfo=UTC))
    late = new_version_id("0000000000", datetime(2026, 1, 2, tzinfo=UTC))
    assert early == "20260101T000000Z-abcdef12"
    assert early < late


def test_rollback_skips_a_damaged_version_recognised_by_its_recorded_sha256(tmp_path):
    import hashlib
    import json

    store = VersionStore(tmp_path / "vetdx.duckdb")
    for i in (1, 2, 3):
        _build(store, f"run-{i}", i)
        store.publish(f"run-{i}", f"2026010{i}T000000Z-run-{i}", {}, keep=5)
    middle = store.version_path("20260102T000000Z-run-2")
    recorded = json.loads(middle.with_suffix(".json").read_text())["sha256"]
    assert recorded == hashlib.sha256(middle.read_bytes()).hexdigest()
    assert middle.stat().st_mode & 0o777 == 0o444  # kept versions are read-only on disk
    assert store.published.stat().st_ino == store.version_path("20260103T000000Z-run-3").stat().st_ino
    data = bytearray(middle.read_bytes())
    data[-100] ^= 0xFF  # one flipped byte deep in the file: the header still looks whole
    middle.chmod(0o644)  # what it takes to damage it (root ignores modes)
    middle.write_bytes(bytes(data))

    def intact(info: dict) -> bool:
        return (
            hashlib.sha256(store.version_path(info["version_id"]).read_bytes()).hexdigest() == info["sha256"]
        )

    assert store.rollback(is_intact=intact) == "20260101T000000Z-run-1"
    assert _published_value(store) == 1

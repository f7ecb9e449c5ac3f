"""The file checks behind the one-line errors and `vetdx versions`: header shape, truncation, sha256."""

from __future__ import annotations

import json
import os

from pipelines.analyst import warehouse_file as wf
from tests.analyst.conftest import NEW, OLD


def test_shape_of_a_whole_file_matches_its_size(store):
    shape = wf.read_shape(store.published)
    assert shape is not None
    # 3 headers of 4096 bytes, then whole blocks of 262,144 bytes (DuckDB's default block size).
    assert shape.expected_size == shape.size
    assert (shape.size - 3 * 4096) % 262_144 == 0


def test_problems(store, tmp_path):
    assert wf.problem(store.published) is None
    assert wf.problem(tmp_path / "none.duckdb") == "does not exist"
    assert wf.problem(tmp_path) == "is a folder, not a DuckDB file"
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    assert wf.problem(empty) == "is not a DuckDB database file"
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(store.published.read_bytes()[:5000])  # headers cut short
    assert wf.problem(cut) == "is truncated: 5,000 bytes of the 12,288 its header declares"


def test_damage_uses_the_recorded_sha256(store):
    meta = json.loads(store.version(OLD).with_suffix(".json").read_text())
    assert wf.damage(store.version(OLD), meta["sha256"]) is None
    data = bytearray(store.version(OLD).read_bytes())
    data[-1] ^= 0x01  # same size, one bit: only the hash sees it
    store.version(OLD).write_bytes(bytes(data))
    assert wf.problem(store.version(OLD)) is None
    assert wf.damage(store.version(OLD), meta["sha256"]) == "does not match the sha256 recorded at publish"


def test_truncated_version_is_damaged_without_a_hash(store):
    os.truncate(store.version(NEW), 3 * 4096 + 10)
    assert wf.damage(store.version(NEW)).startswith("is truncated: 12,298 bytes of the ")
    assert wf.is_published_store(store.published)

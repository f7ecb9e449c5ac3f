"""Analysts never see a bad or half-built warehouse: kill -9, concurrent readers, failing checks.

Each refresh here is a real `vetdx refresh` process on a small slice of the sample (a few countries,
every source), so a crash is a real SIGKILL of a real process.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.faults import ENV_CRASH_AT, POINTS
from pipelines.settings import ENV_CATALOGUE
from tests.conftest import REPO, Workspace, make_workspace

SLICE = ("AZE", "TUN", "SEN", "IDN")  # four countries, one per group and language, all sources


def _slice_raw(target: Path) -> None:
    source = REPO / "data" / "raw"
    shutil.copy(source / "SYNTHETIC_SAMPLE", target / "SYNTHETIC_SAMPLE")
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(source)
        if rel.parts[0] == "official" or any(code in path.name for code in SLICE):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / rel)


def refresh(ws: Workspace, crash_at: str | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    # No data catalogue (dbt docs): publishing is what these tests are about.
    env = {**os.environ, **ws.env(), ENV_CATALOGUE: "off"}
    env.pop(ENV_CRASH_AT, None)
    if crash_at:
        env[ENV_CRASH_AT] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "refresh", "--quiet"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _told(ws: Workspace, result: subprocess.CompletedProcess) -> str:
    """What a failed refresh said: its exit code, its report and the end of its run log."""
    logs = sorted((ws.warehouse.parent / "logs").glob("refresh-*.log"), key=lambda p: p.stat().st_mtime)
    log = logs[-1].read_text(errors="replace")[-3000:] if logs else "(no run log)"
    return f"{result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-1000:]}\n{log}"


def _fingerprint(ws: Workspace) -> tuple[str, str]:
    digest = hashlib.sha256(ws.warehouse.read_bytes()).hexdigest()
    return digest, (ws.warehouse.parent / "CURRENT").read_text()


def _published_answer(path: Path) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select (select max(version_id) from audit.versions),"
            " (select count(*) from raw.official_series),"
            " (select count(*) from marts.gap_indices where score is not null)"
        ).fetchone()


def _unpublished(ws: Workspace, source: str) -> list[str]:
    """Files of `source` in the raw folder that the published version has not loaded."""
    with duckdb.connect(str(ws.warehouse), read_only=True) as con:
        loaded = {f for (f,) in con.execute("select source_file from audit.loads").fetchall()}
    files = (p.relative_to(ws.raw).as_posix() for p in (ws.raw / source).rglob("*") if p.is_file())
    return sorted(f for f in files if f not in loaded)


def _add_official_file(ws: Workspace, name: str, value: float) -> None:
    folder = ws.raw / "official"
    (folder / name).write_text(
        "country,year,indicator,value,source,note\n"
        f"Azerbaijan,2025,itu_internet_users_pct,{value},ITU,re-issued figure\n"
    )


# Session scope, not module: an xdist worker interleaves other modules' tests with these, and a
# module fixture would be torn down and rebuilt (another ~80 s refresh) each time it does.
@pytest.fixture(scope="session")
def published(tmp_path_factory, dbt_manifest) -> Workspace:
    ws = make_workspace(tmp_path_factory.mktemp("safety"))
    _slice_raw(ws.raw)
    result = refresh(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    return ws


# Ten points before the swap (from the build's first copy to the temporary link) and one after it;
# `exports_started` is left out: publishing is over there, and each kill costs a refresh (~15-70 s).
# The default run kills at two of them (mid-ingest, and the last instant before the swap) and after
# the swap; scripts/exhaustive kills at the other eight.
BEFORE_SWAP = [p for p in POINTS if p not in ("published", "exports_started")]
SAMPLED = ("ingest_file_committed", "link_created")


def _sampled(points: list[str]) -> list:
    return [p if p in SAMPLED else pytest.param(p, marks=pytest.mark.exhaustive) for p in points]


@pytest.mark.parametrize("point", _sampled(BEFORE_SWAP))
def test_kill_9_before_the_swap_leaves_the_published_warehouse_unchanged(published, point):
    before = _fingerprint(published)
    answer = _published_answer(published.warehouse)
    _add_official_file(published, f"crash_{point}.csv", 30 + POINTS.index(point))
    result = refresh(published, crash_at=point)
    assert result.returncode == -9, f"{point}: expected SIGKILL, got {_told(published, result)}"
    assert _fingerprint(published) == before, point
    assert _published_answer(published.warehouse) == answer, point


def test_kill_9_after_the_swap_leaves_a_complete_published_version(published):
    point = "published"
    _add_official_file(published, f"crash_{point}.csv", 40 + POINTS.index(point))
    result = refresh(published, crash_at=point)
    assert result.returncode == -9, f"{point}: expected SIGKILL, got {_told(published, result)}"
    version, official_rows, _ = _published_answer(published.warehouse)
    assert (published.warehouse.parent / "versions" / f"{version}.duckdb").exists()
    assert official_rows > 0


def test_a_collapsing_reissue_fails_the_check_and_keeps_the_published_version(published):
    """What row rules cannot see: every row of a re-issued inventory is valid, but the country
    lost most of its rows against the published version. The blocking check stops publication."""
    before = _fingerprint(published)
    equipment = sorted((published.raw / "inventory").rglob("*2025*equipment*.csv"))[0]
    lines = equipment.read_bytes().splitlines(keepends=True)
    collapsed = equipment.with_name(equipment.stem + "_truncated.csv")
    collapsed.write_bytes(b"".join(lines[:6]))  # the header and 5 of its rows
    try:
        result = refresh(published)
        assert result.returncode != 0
        out = result.stdout + result.stderr
        assert "raw/equipment_inventory" in out, out[-3000:]
        assert "drop_pct" in out, out[-3000:]
        assert _fingerprint(published) == before
    finally:
        collapsed.unlink()


@pytest.fixture(scope="session")
def recovery_refresh(published) -> dict:
    """One full refresh after the crashes, three properties checked on it (each refresh costs ~60 s):

    - it recovers: it publishes, and the crashed runs' builds are swept;
    - a reader querying in a loop meanwhile sees no error and only whole versions;
    - the planted WARN-level issue (a re-export with ~10% fewer equipment rows for one country)
      is published with the warning recorded in audit.versions.
    """
    first = _published_answer(published.warehouse)
    _add_official_file(published, "reader_test.csv", 55.5)
    # The crashed runs' files are not published yet: this refresh lands them all (one row each).
    new_official = len(_unpublished(published, "official"))
    equipment = sorted((published.raw / "inventory").rglob("*2025*equipment*.csv"))
    assert equipment, "the slice holds a 2025 equipment CSV"
    lines = equipment[0].read_bytes().splitlines(keepends=True)  # bytes: keep the file's encoding
    keep = lines[: 1 + int((len(lines) - 1) * 0.9)]
    equipment[0].with_name(equipment[0].stem + "_reissued.csv").write_bytes(b"".join(keep))

    answers: list[tuple] = []
    errors: list[str] = []
    done = threading.Event()

    def read_in_a_loop() -> None:
        while not done.is_set():
            try:
                answers.append(_published_answer(published.warehouse))
            except Exception as exc:  # any error at all is a failure of the publishing design
                errors.append(repr(exc))
            time.sleep(0.02)

    reader = threading.Thread(target=read_in_a_loop)
    reader.start()
    try:
        result = refresh(published)
    finally:
        done.set()
        reader.join()
    return {
        "result": result,
        "first": first,
        "answers": answers,
        "errors": errors,
        "new_official": new_official,
    }


def test_next_refresh_after_crashes_recovers_and_publishes(published, recovery_refresh):
    result = recovery_refresh["result"]
    assert result.returncode == 0, result.stdout + result.stderr
    builds = published.warehouse.parent / "builds"
    assert not builds.exists() or not any(builds.iterdir()), "stale builds are swept"
    # Every killed run held the warehouse lock; the run that took it next recorded it as failed in
    # the instance, so the UI shows no refresh running forever and the run queue does not wait on one.
    with dg.DagsterInstance.from_config(str(published.dagster_home)) as instance:
        runs = instance.get_runs()
        assert [r.run_id for r in runs if not r.is_finished] == []
        assert any(r.status == dg.DagsterRunStatus.FAILURE for r in runs), "the killed runs"
        assert runs[0].status == dg.DagsterRunStatus.SUCCESS  # this recovery refresh


def test_readers_see_no_errors_and_one_consistent_version_during_a_refresh(published, recovery_refresh):
    first, answers = recovery_refresh["first"], recovery_refresh["answers"]
    final = _published_answer(published.warehouse)
    assert recovery_refresh["errors"] == []
    assert len(answers) > 20
    assert set(answers) <= {first, final}, "every answer comes from one whole version"
    assert final[1] == first[1] + recovery_refresh["new_official"]
    assert final[0] != first[0]


def test_a_warn_level_issue_publishes_with_the_warning_recorded(published, recovery_refresh):
    assert recovery_refresh["result"].returncode == 0
    with duckdb.connect(str(published.warehouse), read_only=True) as con:
        checks = json.loads(
            con.execute(
                "select check_results from audit.versions order by published_at desc limit 1"
            ).fetchone()[0]
        )
    warned = [c for c in checks if not c["passed"] and c["severity"] == "WARN"]
    assert any("equipment_inventory" in c["asset"] for c in warned), checks

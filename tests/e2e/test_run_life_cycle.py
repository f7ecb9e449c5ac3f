"""Every refresh is a run of one Dagster instance, holds one lock, reads its seeds once, and refuses
bad locations: whichever launcher starts it (`vetdx refresh`, `dagster job execute`, the UI)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.cli import main as vetdx
from pipelines.defs.assets.dbt import DBT_VARS_LOG_PREFIX
from pipelines.defs.resources import staged_seeds_dir
from pipelines.publish.locks import FileLock
from pipelines.refresh import dagster_instance, run_refresh
from pipelines.settings import DEFAULT_SEEDS_DIR, ENV_CATALOGUE
from tests.conftest import REPO, Workspace, make_workspace
from tests.e2e.test_publish_safety import _slice_raw

DAGSTER = str(Path(sys.executable).with_name("dagster"))


def _instance(ws: Workspace) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(ws.dagster_home))


def _loaded_files(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            f
            for (f,) in con.execute("select source_file from audit.loads where status = 'loaded'").fetchall()
        }


def _raw_files(ws: Workspace) -> set[str]:
    return {
        p.relative_to(ws.raw).as_posix()
        for p in ws.raw.rglob("*")
        if p.is_file() and p.parent != ws.raw and not p.name.startswith(".")
    }


# -- the CLI refresh is a run of the persistent instance (the shared sample refresh) ---------------


def test_cli_refresh_is_a_successful_run_in_the_instance_the_ui_reads(sample_refresh):
    ws, report = sample_refresh
    assert report.success, report.render()
    with _instance(ws) as instance:
        run = instance.get_run_by_id(report.run_id)
        assert run is not None and run.status == dg.DagsterRunStatus.SUCCESS
        assert run.tags["vetdx/launcher"] == "vetdx refresh"
        for key in (
            ["seeds", "countries"],
            ["raw", "official_series"],
            ["audit", "loads"],
            ["reference", "countries"],
            ["marts", "gap_indices"],
            ["published_warehouse"],
            ["exports"],
        ):
            event = instance.get_latest_materialization_event(dg.AssetKey(key))
            assert event is not None and event.run_id == report.run_id, key
        evaluations = instance.all_logs(report.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        assert len(evaluations) == report.checks_passed + len(report.checks_failed) > 60
        # the seeds the run used are recorded with their content hash
        countries = instance.get_latest_materialization_event(dg.AssetKey(["seeds", "countries"]))
        metadata = countries.asset_materialization.metadata
        assert metadata["dagster/row_count"].value == 57
        assert metadata["origin"].value == "default"


def test_a_finished_run_leaves_no_work_folders_and_frees_its_lock(sample_refresh):
    ws, report = sample_refresh
    builds = ws.warehouse.parent / "builds"
    assert not builds.exists() or not any(builds.iterdir())
    assert not staged_seeds_dir(ws.warehouse).exists()
    lock = FileLock(ws.warehouse.parent / ".refresh.lock")
    assert lock.acquire()["run_id"] == report.run_id  # free now; it recorded its last holder
    lock.release()


# -- two launchers at once ---------------------------------------------------------------------


def _launch(ws: Workspace, launcher: str) -> subprocess.Popen:
    env = {**os.environ, **ws.env(), ENV_CATALOGUE: "off"}
    command = (
        [sys.executable, "-m", "pipelines.cli", "refresh"]
        if launcher == "cli"
        else [DAGSTER, "job", "execute", "-m", "pipelines.definitions", "-j", "refresh"]
    )
    return subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_lock_holder(ws: Workspace, process: subprocess.Popen, timeout: float = 120) -> None:
    lock = ws.warehouse.parent / ".refresh.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and '"run_id"' in lock.read_text():
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.2)
    raise AssertionError("the first refresh never took the warehouse lock")


# One order in the default run; the other in scripts/exhaustive (each costs two refreshes, ~2 min).
@pytest.mark.parametrize(
    ("first", "second"), [("cli", "dagster"), pytest.param("dagster", "cli", marks=pytest.mark.exhaustive)]
)
def test_two_launchers_at_once_one_publishes_every_file_the_other_says_why(
    tmp_path, dbt_manifest, first, second
):
    ws = make_workspace(tmp_path)
    _slice_raw(ws.raw)
    dagster_instance(ws.dagster_home).dispose()  # `dagster job execute` wants DAGSTER_HOME to exist
    winner = _launch(ws, first)
    _wait_for_lock_holder(ws, winner)
    loser = _launch(ws, second)
    loser_out, loser_err = loser.communicate(timeout=600)
    winner_out, winner_err = winner.communicate(timeout=900)

    assert winner.returncode == 0, winner_out[-3000:] + winner_err[-3000:]
    assert loser.returncode != 0
    refused = [line for line in (loser_out + loser_err).splitlines() if "another refresh is writing" in line]
    assert refused, loser_out[-3000:] + loser_err[-3000:]
    assert "started by" in refused[0] and ("vetdx refresh" in refused[0] or "Dagster" in refused[0])
    if second == "cli":  # the CLI's loser gets one line and no traceback
        assert "Traceback" not in loser_err
    assert _loaded_files(ws.warehouse) == _raw_files(ws), "the published version holds every file"
    with _instance(ws) as instance:
        statuses = sorted(r.status.value for r in instance.get_runs())
    assert statuses == ["FAILURE", "SUCCESS"]  # the loser is a failed run in the UI, saying why
    if first == "cli":  # a person's view: progress lines, a summary, the log file it names
        assert "ingest_official" in winner_err and "dbt models" in winner_err
        assert "Traceback" not in winner_err
        log_line = next(line for line in winner_out.splitlines() if "full log:" in line)
        log_file = Path(log_line.split("full log:")[1].split("(")[0].strip())
        log_file = log_file if log_file.is_absolute() else REPO / log_file
        log = log_file.read_text()
        assert "STEP_SUCCESS" in log and "Completed successfully" in log  # Dagster's events and dbt's output


# -- reference data read once, from this run's seeds ---------------------------------------------


def _with_new_country(seeds: Path) -> None:
    """The user's seeds folder: the default country list and one more member, `XKX`."""
    rows = list(csv.DictReader((DEFAULT_SEEDS_DIR / "countries.csv").open(encoding="utf-8")))
    new = dict(rows[0])
    new.update(iso3="XKX", iso2="XK", iso_numeric="999", name_en="Testland", name_fr="Testland",
               name_ar="تستلاند", wb_name="Testland")  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([*rows, new])
    seeds.mkdir()
    (seeds / "countries.csv").write_text(out.getvalue(), encoding="utf-8")


def test_a_country_added_to_the_seeds_is_judged_against_the_new_list(tmp_path, dbt_manifest):
    ws = make_workspace(tmp_path)
    _slice_raw(ws.raw)
    first = run_refresh(ws.settings(build_catalogue=False), quiet=True)
    assert first.success, first.render()

    user_seeds = tmp_path / "user_seeds"
    _with_new_country(user_seeds)
    (ws.raw / "official" / "testland.csv").write_text(
        "country,year,indicator,value,source\nXKX,2025,itu_internet_users_pct,61.5,ITU\n", encoding="utf-8"
    )
    second = run_refresh(ws.settings(seeds_dir=user_seeds, build_catalogue=False), quiet=True)
    assert second.success, second.render()  # the raw checks knew XKX: they read this run's seeds
    assert second.checks_failed == [] or all("[WARN]" in c for c in second.checks_failed)
    with duckdb.connect(str(ws.warehouse), read_only=True) as con:
        assert con.execute("select value from raw.official_series where iso3 = 'XKX'").fetchall() == [(61.5,)]
        assert con.execute("select count(*) from marts.countries where iso3 = 'XKX'").fetchone()[0] == 1
        assert con.execute("select count(*) from reference.countries").fetchone()[0] == 58
    with _instance(ws) as instance:
        seed = instance.get_latest_materialization_event(dg.AssetKey(["seeds", "countries"]))
        assert seed.run_id == second.run_id
        assert seed.asset_materialization.metadata["origin"].value == "user"
        assert seed.asset_materialization.metadata["dagster/row_count"].value == 58
        # dbt was given the same profile path and vars both times (the seeds' content changed, not
        # their folder), so the second run's dbt calls reused the first's partial parse.
        assert _dbt_vars(instance, second.run_id) == _dbt_vars(instance, first.run_id)


def _dbt_vars(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    lines = [e.user_message for e in instance.all_logs(run_id) if e.user_message]
    given = [m for m in lines if m.startswith(DBT_VARS_LOG_PREFIX)]
    assert len(given) == 1, lines[-20:]
    return given


# -- bad locations are one line and publish nothing ----------------------------------------------


def test_bad_locations_are_one_line_and_publish_nothing(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "official").mkdir(parents=True)
    (raw / "official" / "a.csv").write_text(
        "country,year,indicator,value\nAZE,2025,itu_internet_users_pct,8\n"
    )
    warehouse = tmp_path / "w" / "vetdx.duckdb"
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("this is a text file\n")
    cases = [
        (["--raw", str(tmp_path / "missing")], "raw folder", "does not exist"),
        (["--raw", str(raw / "official" / "a.csv")], "raw folder", "is a file"),
        (["--raw", str(raw), "--seeds", str(tmp_path / "nope")], "seeds folder", "does not exist"),
        (["--raw", str(raw), "--warehouse", str(tmp_path)], "is a folder", ".duckdb file"),
        (["--raw", str(raw), "--warehouse", str(not_duckdb)], "not a DuckDB database", ""),
        (["--raw", str(tmp_path / "empty")], "", ""),
    ]
    (tmp_path / "empty").mkdir()
    for flags, *expected in cases:
        args = ["refresh", "--warehouse", str(warehouse), *flags]  # a later --warehouse wins
        code = vetdx(args)
        err = capsys.readouterr().err.strip()
        assert code == 2, (flags, err)
        assert len(err.splitlines()) == 1, err
        assert all(part in err for part in expected), err
        assert "nothing" in err
    assert not warehouse.exists() and not warehouse.parent.exists()
    assert not_duckdb.read_text() == "this is a text file\n"
    empty = capsys.readouterr()
    assert empty.out == ""

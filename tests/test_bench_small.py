"""`vetdx bench --scale small` end to end on a slice of the committed sample, and its measuring parts.

The slice (AZE and IDN send XLSX inventories, two more countries send equipment CSVs, plus the
official series) keeps every code path of the large benchmark: both ingest comparisons, every
source, two real `vetdx refresh` processes, the queries, the dbt timings and the validation cost.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipelines.bench.change import changed_quantities
from pipelines.bench.refresh import stage_seconds
from pipelines.bench.run import main
from pipelines.settings import ENV_CATALOGUE
from tests.conftest import REPO

SAMPLE = REPO / "data" / "raw"


def _slice(target: Path) -> Path:
    csv_countries = sorted({p.name[:3] for p in (SAMPLE / "inventory").glob("*_equipment.csv")})[:2]
    keep = ("AZE", "IDN", *csv_countries)
    target.mkdir(parents=True)
    shutil.copy(SAMPLE / "SYNTHETIC_SAMPLE", target / "SYNTHETIC_SAMPLE")
    for path in sorted(SAMPLE.rglob("*")):
        rel = path.relative_to(SAMPLE)
        if path.is_file() and (rel.parts[0] == "official" or path.name[:3] in keep):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / rel)
    return target


@pytest.mark.exhaustive  # three refreshes, ~3 min: in CI after the default run (scripts/exhaustive)
def test_small_bench_reports_every_figure(tmp_path: Path, dbt_manifest: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_CATALOGUE, "off")  # the refreshes' code paths, without their dbt docs page
    raw = _slice(tmp_path / "raw")
    out = tmp_path / "bench.json"
    argv = ["--scale", "small", "--skip-generate", "--data", str(raw), "--out", str(out)]
    code = main([*argv, "--repeat", "1", "--query-runs", "5"])
    r = json.loads(out.read_text())
    assert code == 0, json.dumps(r.get("refresh_full"), indent=1, default=str)[-4000:]

    assert r["machine"]["cores_usable"] >= 1 and r["machine"]["versions"]["duckdb"]
    csv, xlsx = r["ingest"]["equipment_csv"], r["ingest"]["xlsx_inventory"]
    assert csv["rows_match"] and csv["rows"] > 0
    assert csv["ratio_vetdx_to_duckdb"] > 0 and csv["ratio_vetdx_to_duckdb_per_file"] > 0
    assert csv["ratio_vetdx_to_pandas"] > 0
    assert xlsx["rows_match"] and xlsx["ratio_vetdx_to_calamine"] > 0 and xlsx["ratio_vetdx_to_pandas"] > 0
    per_source = r["ingest"]["all_sources"]["per_source"]
    assert set(per_source) == {"survey", "institutions", "inventory", "official"}
    assert all(s["seconds"] > 0 and s["rows_landed"] > 0 for s in per_source.values())

    full, incremental = r["refresh_full"], r["refresh_incremental"]
    assert full["success"], full["stderr_tail"]
    assert full["seconds"] > 0 and full["peak_tree_rss_mib"] > 0 and full["max_rss_single_process_mib"] > 0
    assert sum(full["stages_seconds"].values()) == pytest.approx(full["seconds"], abs=1)
    assert {"startup", "ingest", "dbt", "checks marts", "publish + exports"} <= set(full["stages_seconds"])
    assert incremental["success"] and incremental["changed"]["rows_changed"] > 0
    assert incremental["ratio_to_full"] > 0
    assert any("1 new" in line for line in incremental["summary"])  # only the changed file was parsed

    queries = r["queries"]["per_query"]
    assert set(queries) == {p.stem for p in (REPO / "queries").glob("*.sql")}
    assert all(0 < q["p50_ms"] <= q["p95_ms"] for q in queries.values()), queries
    assert r["monte_carlo"]["rank_intervals_seconds"] > 0
    assert r["validation"]["rows"] == r["dataset"]["equipment_rows"] > 0 and r["validation"]["seconds"] > 0
    assert [t["value"] is not None for t in r["targets"]] == [True] * 5
    sql = r["sql_overhead"]  # `vetdx sql` and plain DuckDB on the same published file, whole processes
    assert sql["vetdx_sql_wall_s"] > 0 and sql["duckdb_wall_s"] > 0 and sql["ratio_wall"] > 0


def test_changed_quantities_touches_only_quantities_and_restores_the_file(tmp_path: Path) -> None:
    path = tmp_path / "GAB_2025_equipment.csv"
    original = "institution_id;item;quantity;in_working_order\n" + "".join(
        f"GAB-{i};Ordinateur portable;{i + 1};{i}\n" for i in range(10)
    )
    path.write_text(original)
    with changed_quantities(path, rows=2) as change:
        changed = path.read_text().splitlines()
    assert change == {"file": path.name, "rows_changed": 2, "rows_in_file": 10}
    before = original.splitlines()
    differing = [i for i, (a, b) in enumerate(zip(before, changed, strict=True)) if a != b]
    assert differing == [1, 6]  # rows 0 and 5 of the data, header untouched
    assert changed[1] == "GAB-0;Ordinateur portable;2;0"
    assert path.read_text() == original


def test_stage_seconds_split_the_wall_time_by_step_log_lines() -> None:
    run_id = "3743e47c-0344-4b10-8956-efa585d16acf"

    def log(step: str) -> str:
        return f"2026-01-01 00:00:00 +0000 - dagster - INFO - refresh - {run_id} - {step} - a message"

    lines = [
        (2.0, "stderr", log("ingest_survey")),
        (5.0, "stderr", log("raw__survey_answers_gx_survey_answers")),
        (6.0, "stderr", log("vetdx_dbt_assets")),
        (7.0, "stdout", "Running with dbt=1.11"),
        (16.0, "stderr", log("marts__scores_gx_scores")),
        (18.0, "stdout", "vetdx refresh succeeded (run 1234abcd)"),
    ]
    assert stage_seconds(lines, 18.5, published=True) == {
        "startup": 2.0,
        "ingest": 3.0,
        "checks raw": 1.0,
        "dbt": 10.0,
        "publish + exports": 2.0,
        "exit": 0.5,
    }

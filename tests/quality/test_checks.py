"""The suites as Dagster asset checks: run in a real materialization against the real resources."""

import json
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.checks import build_gx_check, gx_asset_checks
from pipelines.defs.resources import RefreshRun, resources_for
from pipelines.quality.docs import render_data_docs
from pipelines.quality.raw_suites import raw_suite
from pipelines.settings import Settings
from tests.quality.factories import create_raw_tables, good_row, insert_raw


def _job_parts(bad_rows: int) -> list:
    @dg.asset(key=["raw", "equipment_inventory"])
    def equipment(refresh_run: RefreshRun) -> None:
        with refresh_run.connect_build() as con:
            create_raw_tables(con)
            rows = [good_row("equipment_inventory", i) for i in range(10)]
            for row in rows[:bad_rows]:
                row["in_working_order"] = row["quantity"] + 1
            insert_raw(con, "equipment_inventory", rows)

    @dg.asset(deps=[equipment])
    def downstream() -> None:
        """Stands for staging: must not run when an ERROR expectation failed."""

    return [equipment, downstream, build_gx_check("raw", "equipment_inventory", raw_suite)]


@pytest.fixture
def resources(tmp_path: Path, seeds_dir: Path) -> dict:
    (tmp_path / "raw").mkdir()
    settings = Settings.resolve(
        {}, raw_dir=tmp_path / "raw", seeds_dir=seeds_dir, warehouse=tmp_path / "warehouse" / "vetdx.duckdb"
    )
    return resources_for(settings)


def _evaluation(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (evaluation,) = result.get_asset_check_evaluations()
    return evaluation


def _materialized(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {
        e.event_specific_data.materialization.asset_key for e in result.get_asset_materialization_events()
    }


def test_clean_table_passes_and_downstream_runs(resources: dict) -> None:
    result = dg.materialize(_job_parts(bad_rows=0), resources=resources)
    evaluation = _evaluation(result)
    assert evaluation.passed
    assert evaluation.check_name == "gx_equipment_inventory"
    assert dg.AssetKey("downstream") in _materialized(result)


def test_error_failure_blocks_downstream_and_writes_report(resources: dict) -> None:
    result = dg.materialize(_job_parts(bad_rows=3), resources=resources, raise_on_error=False)
    evaluation = _evaluation(result)
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert "3 of 10 rows" in evaluation.description and "quantity, in_working_order" in evaluation.description
    assert evaluation.metadata["failed_error"].value == 1
    assert dg.AssetKey("downstream") not in _materialized(result)

    quality = resources["warehouse"].store.root / "quality" / result.run_id
    report = json.loads((quality / "raw.equipment_inventory.json").read_text())
    assert report["severity"] == "ERROR" and report["counts"]["failed"] == 1

    index = render_data_docs(quality)
    assert index.name == "index.html" and "raw.equipment_inventory.rows" in index.read_text()
    pages = list((index.parent / "validations").rglob("*.html"))
    assert any(
        "expect_column_pair_values_a_to_be_greater_than_b" in p.read_text()
        or "in_working_order" in p.read_text()
        for p in pages
    )


def test_definitions_carry_one_blocking_check_per_suite() -> None:
    keys = {key for check in gx_asset_checks for key in check.check_keys}
    assert len(keys) == 13
    assert dg.AssetCheckKey(dg.AssetKey(["marts", "gap_indices"]), "gx_gap_indices") in keys
    assert all(spec.blocking for check in gx_asset_checks for spec in check.check_specs)

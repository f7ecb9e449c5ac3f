"""Raw checks judge only the rows of batches not yet validated under the same suite fingerprint."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.checks import build_gx_check
from pipelines.defs.resources import RefreshRun, resources_for
from pipelines.publish.store import VersionStore
from pipelines.quality.batches import LEDGER, BatchLedger, suite_fingerprint
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import Reference
from pipelines.quality.report import BatchCoverage, ValidationReport
from pipelines.quality.runner import validate
from pipelines.settings import Settings, parse_revalidate
from tests.quality.factories import create_raw_tables, good_row, insert_raw

TABLE = "equipment_inventory"


def _load(con: duckdb.DuckDBPyConnection, batch: str, rows: int, iso3: str, **changes: object) -> None:
    """One file (batch) of `rows` valid rows, with `changes` applied to its first row."""
    values = [good_row(TABLE, i, iso3) for i in range(rows)]
    values[0].update(changes)
    insert_raw(con, TABLE, values, batch=batch)


def _validate(
    con: duckdb.DuckDBPyConnection, ref: Reference, run_id: str, **ledger: bool
) -> ValidationReport:
    return validate(con, raw_suite(TABLE, ref), ledger=BatchLedger(run_id=run_id, **ledger))


def _recorded(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, str]]:
    return con.execute(f"SELECT batch_id, rows, run_id FROM {LEDGER} ORDER BY run_id, batch_id").fetchall()


@pytest.fixture
def validated(con: duckdb.DuckDBPyConnection, ref: Reference) -> duckdb.DuckDBPyConnection:
    """A build whose two batches (AFG 6 rows, DZA 4 rows) passed a first validation (run1)."""
    _load(con, "b_AFG", 6, "AFG")
    _load(con, "b_DZA", 4, "DZA")
    report = _validate(con, ref, "run1")
    assert report.passed, report.message()
    return con


def test_first_validation_judges_every_row_and_records_its_batches(
    validated: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    assert _recorded(validated) == [("b_AFG", 6, "run1"), ("b_DZA", 4, "run1")]
    fingerprints = validated.execute(
        f"SELECT DISTINCT table_name, suite_fingerprint FROM {LEDGER}"
    ).fetchall()
    assert fingerprints == [(f"raw.{TABLE}", suite_fingerprint(raw_suite(TABLE, ref)))]


def test_next_validation_judges_only_the_new_batch(
    validated: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    _load(validated, "b_ALB", 3, "ALB")
    report = _validate(validated, ref, "run2")
    assert report.passed, report.message()
    assert report.row_count == 3
    assert report.batches == BatchCoverage(new_batches=1, skipped_batches=2, skipped_rows=10)
    row_level = [o for o in report.outcomes if o.scope == "rows"]
    assert {o.element_count for o in row_level} == {3}
    assert "validated 3 rows of 1 new batch; 10 rows of 2 batches already validated under this suite" in (
        report.message()
    )
    counts = report.counts()
    assert (
        counts["rows"],
        counts["rows_skipped"],
        counts["batches_validated"],
        counts["batches_skipped"],
    ) == (
        3,
        10,
        1,
        2,
    )
    assert _recorded(validated)[-1] == ("b_ALB", 3, "run2")


def test_bad_row_in_a_new_batch_still_fails(validated: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    _load(validated, "b_ALB", 3, "ALB", quantity=-4, in_working_order=None)
    report = _validate(validated, ref, "run2")
    assert report.blocking, report.message()
    (failure,) = report.failures
    assert (failure.column, failure.severity, failure.scope) == ("quantity", "ERROR", "rows")
    assert (failure.unexpected_count, failure.element_count) == (1, 3)
    assert failure.examples[0]["_source_file"].endswith("b_ALB.csv")
    assert report.batches == BatchCoverage(new_batches=1, skipped_batches=2, skipped_rows=10)


def test_batch_failing_with_error_is_not_recorded_and_is_judged_again(
    validated: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    _load(validated, "b_ALB", 3, "ALB", quantity=-4, in_working_order=None)
    assert _validate(validated, ref, "run2").blocking
    assert [batch for batch, _, _ in _recorded(validated)] == ["b_AFG", "b_DZA"]
    again = _validate(validated, ref, "run3")
    assert again.blocking and again.row_count == 3


def test_warn_only_batch_counts_as_validated(validated: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    _load(validated, "b_ALB", 3, "ALB", item_code="hammer")  # not in the taxonomy: WARN
    report = _validate(validated, ref, "run2")
    assert report.severity == "WARN", report.message()
    assert _recorded(validated)[-1] == ("b_ALB", 3, "run2")
    assert _validate(validated, ref, "run3").row_count == 0


def test_changed_reference_revalidates_every_batch(
    validated: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    # A taxonomy without laptops: the old batches' rows now break a WARN expectation.
    changed = dataclasses.replace(ref, item_codes=frozenset({"lathe"}))
    assert suite_fingerprint(raw_suite(TABLE, changed)) != suite_fingerprint(raw_suite(TABLE, ref))
    report = _validate(validated, changed, "run2")
    assert report.row_count == 10
    assert report.batches == BatchCoverage(new_batches=2, skipped_batches=0, skipped_rows=0)
    (failure,) = report.failures
    assert (failure.column, failure.severity, failure.unexpected_count) == ("item_code", "WARN", 10)


def test_revalidate_all_ignores_earlier_records(validated: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    report = _validate(validated, ref, "run2", revalidate_all=True)
    assert report.row_count == 10 and report.batches.skipped_rows == 0
    assert [(batch, run) for batch, _, run in _recorded(validated)][-2:] == [
        ("b_AFG", "run2"),
        ("b_DZA", "run2"),
    ]


def test_fingerprint_is_the_same_in_another_process(ref: Reference) -> None:
    """Sets of reference codes iterate in a per-process order; the fingerprint must not."""
    code = (
        "from pipelines.quality.batches import suite_fingerprint;"
        "from pipelines.quality.raw_suites import raw_suite;"
        "from pipelines.quality.reference import Reference;"
        f"print(suite_fingerprint(raw_suite({TABLE!r}, {ref!r})))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == suite_fingerprint(raw_suite(TABLE, ref))


@pytest.mark.parametrize(("text", "revalidate_all"), [("all", True), ("new", False), (" ALL ", True)])
def test_revalidate_setting(text: str, revalidate_all: bool) -> None:
    assert parse_revalidate(text) is revalidate_all


def test_revalidate_setting_rejects_other_values() -> None:
    with pytest.raises(ValueError, match="VETDX_REVALIDATE"):
        parse_revalidate("everything")


def test_check_records_batches_in_the_build_and_reports_both_counts(tmp_path: Path, seeds_dir: Path) -> None:
    @dg.asset(key=["raw", TABLE])
    def equipment(refresh_run: RefreshRun) -> None:
        with refresh_run.connect_build() as con:
            create_raw_tables(con)
            _load(con, "b_AFG", 4, "AFG")

    (tmp_path / "raw").mkdir()
    settings = Settings.resolve(
        {}, raw_dir=tmp_path / "raw", seeds_dir=seeds_dir, warehouse=tmp_path / "warehouse" / "vetdx.duckdb"
    )
    result = dg.materialize(
        [equipment, build_gx_check("raw", TABLE, raw_suite)], resources=resources_for(settings)
    )
    store = VersionStore(settings.warehouse)
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.passed
    assert (evaluation.metadata["rows"].value, evaluation.metadata["rows_skipped"].value) == (4, 0)
    assert "validated 4 rows of 1 new batch" in evaluation.description
    # the build of a run that published nothing stays for inspection until the next refresh
    with duckdb.connect(str(store.build_path(result.run_id))) as con:
        assert _recorded(con) == [("b_AFG", 4, result.run_id)]


def _unique_key(report: ValidationReport):
    (outcome,) = [o for o in report.outcomes if o.scope == "unique_key"]
    return outcome


def test_duplicate_key_in_a_new_batch_fails_and_the_batch_is_not_recorded(
    validated: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    rows = [good_row(TABLE, i, "ALB") for i in range(3)]
    insert_raw(validated, TABLE, [*rows, rows[1]], batch="b_ALB")  # row 3 (line 5) repeats row 1
    report = _validate(validated, ref, "run2")
    duplicated = _unique_key(report)
    assert (duplicated.success, duplicated.severity, duplicated.unexpected_count) == (False, "ERROR", 1)
    assert duplicated.examples[0]["_source_file"].endswith("b_ALB.csv")
    assert duplicated.examples[0]["_row_numbers"] == [3, 5]
    assert report.batches == BatchCoverage(new_batches=1, skipped_batches=2, skipped_rows=10)
    assert [batch for batch, _, _ in _recorded(validated)] == ["b_AFG", "b_DZA"]  # rows passed, key did not
    again = _validate(validated, ref, "run3")
    assert _unique_key(again).unexpected_count == 1 and again.row_count == 4


def test_keys_of_recorded_batches_are_not_reduced_again(
    validated: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    """Raw batches are append-only: a recorded batch cannot gain a duplicate. Written behind the
    loader's back, one shows that the reduction reads only new batches, unless all are re-validated."""
    insert_raw(validated, TABLE, [good_row(TABLE, 0, "AFG")], batch="b_AFG")
    _load(validated, "b_ALB", 3, "ALB")
    incremental = _validate(validated, ref, "run2")
    assert _unique_key(incremental).success and incremental.row_count == 3
    everything = _validate(validated, ref, "run3", revalidate_all=True)
    duplicated = _unique_key(everything)
    assert (duplicated.success, duplicated.unexpected_count) == (False, 1)
    assert duplicated.examples[0]["_row_numbers"] == [2, 2]


def test_fingerprint_covers_the_per_batch_reduction(ref: Reference) -> None:
    suite = raw_suite(TABLE, ref)
    (unique_key,) = [r for r in suite.reductions if r.name == "unique_key"]
    other_key = dataclasses.replace(unique_key, per_batch_sql=lambda rows: f"SELECT 1 FROM ({rows})")
    changed = dataclasses.replace(
        suite, reductions=tuple(other_key if r is unique_key else r for r in suite.reductions)
    )
    assert suite_fingerprint(changed) != suite_fingerprint(suite)


def test_rows_without_a_batch_id_are_judged_every_time(
    validated: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    insert_raw(validated, TABLE, [good_row(TABLE, 0, "ALB")], batch=None)
    for run in ("run2", "run3"):
        report = _validate(validated, ref, run)
        assert report.row_count == 1, report.message()
        (failure,) = report.failures
        assert (failure.column, failure.severity, failure.unexpected_count) == ("_batch_id", "ERROR", 1)

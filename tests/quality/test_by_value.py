"""Judging distinct keys weighted by their rows (grouped.py) reports what streaming every row through
GX reports: the same verdicts, counts and missing counts; examples are the first rows by file and row."""

from __future__ import annotations

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest

from pipelines.quality import grouped
from pipelines.quality.frames import GxFrames
from pipelines.quality.mart_suites import MART_COLUMNS, mart_suite
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import Reference
from pipelines.quality.runner import validate
from pipelines.quality.spec import ERROR, WARN, TableSuite
from tests.quality.factories import planted_equipment

ROWS = 60_000
CHUNK = 10_000
IDS = ("_source_file", "_row_number")


def _verdicts(report) -> list[tuple]:
    return [
        (o.expectation, o.column, o.severity, o.success, o.unexpected_count, o.element_count, o.error)
        for o in report.outcomes
    ]


def _missing_counts(report) -> list[int]:
    return [r["result"]["missing_count"] for suite in report.gx_results for r in suite["results"]]


def _example_keys(outcome) -> set[tuple]:
    return {(str(e["value"]), e.get("_source_file"), e.get("_row_number")) for e in outcome.examples}


@pytest.fixture
def planted() -> duckdb.DuckDBPyConnection:
    con = planted_equipment(ROWS)
    # missing values: between and the pair (either_value_is_missing) leave these rows unjudged
    con.execute("UPDATE raw.equipment_inventory SET in_working_order = NULL WHERE rowid % 997 = 3")
    con.execute("UPDATE raw.equipment_inventory SET quantity = NULL WHERE rowid IN (11, 12, 30011)")
    # ERROR not-null on a high-cardinality column (judged on its nullness alone)
    con.execute("UPDATE raw.equipment_inventory SET institution_id = NULL WHERE rowid IN (5, 40005)")
    yield con
    con.close()


def test_raw_suite_by_value_reports_what_chunks_report(
    planted: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    suite = raw_suite("equipment_inventory", ref)
    chunked = validate(planted, suite, chunk_rows=CHUNK, by_value=False)
    by_value = validate(planted, suite, chunk_rows=CHUNK)
    assert (chunked.chunks, by_value.chunks) == (ROWS // CHUNK, 1), "by_value did not judge by value"
    assert _verdicts(by_value) == _verdicts(chunked)
    assert _missing_counts(by_value) == _missing_counts(chunked)
    failures = {o.column: o for o in by_value.outcomes if not o.success and o.scope == "rows"}
    # Hand-counted from the planted rows: 60 negatives, which the pair check sees too as long as
    # none of them lost its in_working_order (checked below).
    assert {c: (o.severity, o.unexpected_count) for c, o in failures.items()} == {
        "quantity": ("ERROR", 60),
        "quantity, in_working_order": ("ERROR", 60),
        "institution_id": ("ERROR", 2),
        "item_code": ("WARN", 3),
        "year_acquired": ("ERROR", 2),
    }
    overlap = planted.sql(
        "SELECT count(*) FROM raw.equipment_inventory WHERE quantity < 0 AND in_working_order IS NULL"
    ).fetchone()[0]
    assert overlap == 0
    chunked_failures = {o.column: o for o in chunked.outcomes if not o.success and o.scope == "rows"}
    for column, outcome in failures.items():
        if outcome.unexpected_count <= 20:  # every unexpected row is an example in both
            assert _example_keys(outcome) == _example_keys(chunked_failures[column]), column
    # More than 20: the first 20 rows by file and row number.
    first = planted.sql(
        "SELECT _source_file, _row_number FROM raw.equipment_inventory WHERE quantity < 0 "
        "ORDER BY _source_file, _row_number LIMIT 20"
    ).fetchall()
    assert [(e["_source_file"], e["_row_number"]) for e in failures["quantity"].examples] == first
    assert {e["value"] for e in failures["quantity"].examples} == {-1}
    assert {e["value"][0] for e in failures["quantity, in_working_order"].examples} == {-1}


def _every_kind() -> gx.ExpectationSuite:
    """Every expectation kind the runner may judge on rows (spec.CHUNKABLE), pair defaults included."""
    return gx.ExpectationSuite(
        name="t.rows",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(column="code", severity=ERROR),
            gxe.ExpectColumnValuesToBeNull(column="note", severity=WARN),
            gxe.ExpectColumnValuesToBeBetween(column="a", min_value=0, max_value=10, severity=ERROR),
            gxe.ExpectColumnValuesToBeInSet(column="code", value_set=["x", "y"], severity=ERROR),
            gxe.ExpectColumnValuesToNotBeInSet(column="code", value_set=["z"], severity=WARN),
            gxe.ExpectColumnValuesToMatchRegex(column="code", regex="^[xy]$", severity=ERROR),
            gxe.ExpectColumnValuesToNotMatchRegex(column="note", regex="secret", severity=ERROR),
            gxe.ExpectColumnValueLengthsToBeBetween(column="note", min_value=1, max_value=4, severity=WARN),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="a", column_B="b", severity=ERROR),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="a", column_B="b", or_equal=True, ignore_row_if="either_value_is_missing"
            ),
            gxe.ExpectColumnPairValuesToBeEqual(column_A="a", column_B="b", ignore_row_if="neither"),
        ],
    )


def test_every_expectation_kind_counts_alike_with_nulls() -> None:
    con = duckdb.connect()
    con.execute(
        """
        CREATE TABLE t AS
        SELECT 'f' || (i % 3) || '.csv' AS _source_file, i AS _row_number,
               CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN 'z'
                    WHEN i % 2 = 0 THEN 'x' ELSE 'y' END AS code,
               CASE WHEN i % 17 = 0 THEN 'secret' WHEN i % 5 = 0 THEN 'ok' END AS note,
               CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 13) - 1 END AS a,
               CASE WHEN i % 19 = 0 THEN NULL ELSE i % 9 END AS b
        FROM range(5000) r(i)
        """
    )
    suite = TableSuite(name="t", relation="t", rows_sql="SELECT * FROM t", rows=_every_kind(), id_columns=IDS)
    chunked = validate(con, suite, chunk_rows=700, by_value=False)
    by_value = validate(con, suite, chunk_rows=700)
    assert by_value.chunks == 1 and chunked.chunks == 8
    assert _verdicts(by_value) == _verdicts(chunked)
    assert _missing_counts(by_value) == _missing_counts(chunked)
    # Hand count: codes NULL where i % 11 = 0 (455 of 0..4999)
    not_null = next(o for o in by_value.outcomes if o.expectation == "expect_column_values_to_not_be_null")
    assert not_null.unexpected_count == 455 and not_null.element_count == 5000
    assert all(e["value"] is None for e in not_null.examples)
    assert [e["_row_number"] for e in not_null.examples][:3] == [0, 33, 66]  # file f0 first, by row
    for mine, theirs in zip(by_value.outcomes, chunked.outcomes, strict=True):
        if mine.unexpected_count <= 20:
            assert _example_keys(mine) == _example_keys(theirs), mine.expectation


def test_row_conditions_and_too_many_keys_are_judged_on_chunks(
    planted: duckdb.DuckDBPyConnection, ref: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    suites = [mart_suite(model, ref) for model in MART_COLUMNS]
    conditioned = [s for s in suites if any(e.row_condition for e in s.rows.expectations)]
    assert conditioned and not any(grouped.applies(s.rows) for s in conditioned)
    suite = raw_suite("equipment_inventory", ref)
    expected = _verdicts(validate(planted, suite, chunk_rows=CHUNK, by_value=False))
    monkeypatch.setattr(grouped, "MAX_KEY_ROWS", 10)  # the grouping sets hold ~70 key rows
    fallen_back = validate(planted, suite, chunk_rows=CHUNK)
    assert fallen_back.chunks == ROWS // CHUNK
    assert _verdicts(fallen_back) == expected


def test_a_column_the_rows_lack_fails_only_its_expectation() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT 'f.csv' AS _source_file, i AS _row_number, i AS a FROM range(50) r(i)"
    )
    expectations = [
        gxe.ExpectColumnValuesToBeBetween(column="a", min_value=0, severity=ERROR),
        gxe.ExpectColumnValuesToNotBeNull(column="gone", severity=ERROR),
    ]
    rows = gx.ExpectationSuite(name="t.rows", expectations=expectations)
    suite = TableSuite(name="t", relation="t", rows_sql="SELECT * FROM t", rows=rows, id_columns=IDS)
    assert grouped.judge(con, "SELECT * FROM t", rows, IDS, GxFrames()) is None
    report = validate(con, suite)
    between, gone = report.outcomes
    assert (between.success, between.error, between.element_count) == (True, None, 50)
    assert not gone.success and gone.error

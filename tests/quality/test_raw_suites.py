"""Each raw suite passes on clean rows and fails, with the right expectation, column, count and
examples, on rows that break it."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.ingest.schemas import RAW_TABLES
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import Reference
from pipelines.quality.report import ValidationReport
from pipelines.quality.runner import validate
from tests.quality.factories import create_raw_tables, good_row, insert_raw


def _only_failure(report: ValidationReport):
    assert len(report.failures) == 1, report.message()
    return report.failures[0]


@pytest.mark.parametrize("table", list(RAW_TABLES))
def test_clean_rows_pass(con: duckdb.DuckDBPyConnection, ref: Reference, table: str) -> None:
    for iso3 in ("AFG", "DZA"):  # one file (batch) per country, as countries send them
        insert_raw(con, table, [good_row(table, i, iso3) for i in range(5)], batch=f"b_{iso3}")
    report = validate(con, raw_suite(table, ref))
    assert report.passed, report.message()
    assert report.row_count == 10
    assert report.severity is None


# (table, column to break, bad value, expected expectation, column label in the report)
BREAKS = [
    ("survey_responses", "iso3", "XXX", "expect_column_values_to_be_in_set", "iso3"),
    (
        "survey_responses",
        "respondent_key",
        "jane@example.org",
        "expect_column_values_to_match_regex",
        "respondent_key",
    ),
    ("survey_responses", "form_kind", "paper", "expect_column_values_to_be_in_set", "form_kind"),
    ("survey_responses", "round", 1999, "expect_column_values_to_be_between", "round"),
    ("survey_answers", "value_number", 150.0, "expect_column_values_to_be_between", "percent_value"),
    ("survey_answers", "question_code", None, "expect_column_values_to_not_be_null", "question_code"),
    ("institution_counts", "value", -5.0, "expect_column_values_to_be_between", "value"),
    ("institution_counts", "measure", "buildings", "expect_column_values_to_be_in_set", "measure"),
    (
        "equipment_inventory",
        "in_working_order",
        12,
        "expect_column_pair_values_a_to_be_greater_than_b",
        "quantity, in_working_order",
    ),
    ("equipment_inventory", "year_acquired", 1900, "expect_column_values_to_be_between", "year_acquired"),
    (
        "institution_connectivity",
        "download_mbps",
        -1.0,
        "expect_column_values_to_be_between",
        "download_mbps",
    ),
    ("institution_connectivity", "students", -3, "expect_column_values_to_be_between", "students"),
    ("official_series", "value", 120.0, "expect_column_values_to_be_between", "percent_value"),
    ("official_series", "iso3", "ZZZ", "expect_column_values_to_be_in_set", "iso3"),
]


@pytest.mark.parametrize(("table", "column", "bad", "expectation", "label"), BREAKS)
def test_broken_rows_fail_with_examples(
    con: duckdb.DuckDBPyConnection, ref: Reference, table: str, column: str, bad, expectation: str, label: str
) -> None:
    rows = [good_row(table, i) for i in range(6)]
    for i in (1, 4):
        rows[i][column] = bad
    insert_raw(con, table, rows)
    report = validate(con, raw_suite(table, ref))
    failure = _only_failure(report)
    assert (failure.expectation, failure.column, failure.severity) == (expectation, label, "ERROR")
    assert (failure.unexpected_count, failure.element_count) == (2, 6)
    assert report.blocking and report.severity == "ERROR"
    # Examples carry the file and the spreadsheet row (header = row 1, so list index 1 -> row 3).
    assert sorted(e["_row_number"] for e in failure.examples) == [3, 6]
    assert {e["_source_file"] for e in failure.examples} == {f"{RAW_TABLES[table].source}/b1.csv"}
    assert label in report.message() and "2 of 6 rows" in report.message()


def test_percent_range_only_applies_to_percent_questions(
    con: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    rows = [good_row("survey_answers", i) for i in range(3)]
    rows[0].update(question_code="teachers_total", value_number=250.0)  # a count: 250 is fine
    rows[1].update(question_code="teachers_total", value_number=-1.0)  # a negative count is not
    insert_raw(con, "survey_answers", rows)
    failure = _only_failure(validate(con, raw_suite("survey_answers", ref)))
    assert (failure.column, failure.unexpected_count, failure.examples[0]["value"]) == (
        "count_value",
        1,
        -1.0,
    )


def test_official_percent_units_come_from_the_catalogue_and_its_source_codes(
    con: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    rows = [good_row("official_series", i) for i in range(3)]
    rows[0].update(indicator="IT.NET.USER.ZS", value=130.0)  # source code of a pct indicator
    rows[1].update(indicator="wb_fixed_broadband_per100", value=130.0)  # per 100 people: may exceed 100
    insert_raw(con, "official_series", rows)
    failure = _only_failure(validate(con, raw_suite("official_series", ref)))
    assert (failure.column, failure.unexpected_count) == ("percent_value", 1)


def test_warn_only_failures_do_not_block(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    rows = [good_row("institution_connectivity", i) for i in range(4)]
    rows[2]["opened_year"] = 1700
    insert_raw(con, "institution_connectivity", rows)
    report = validate(con, raw_suite("institution_connectivity", ref))
    failure = _only_failure(report)
    assert (failure.column, failure.severity, failure.unexpected_count) == ("opened_year", "WARN", 1)
    assert not report.passed and not report.blocking and report.severity == "WARN"


def test_duplicate_key_within_a_batch_fails(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    rows = [good_row("survey_answers", i) for i in range(4)]
    rows[3] = dict(rows[0])  # same response, question, option, repeat
    insert_raw(con, "survey_answers", rows)
    failure = _only_failure(validate(con, raw_suite("survey_answers", ref)))
    assert (failure.expectation, failure.column, failure.scope) == (
        "expect_column_values_to_be_between",
        "rows_with_key",
        "unique_key",
    )
    assert failure.unexpected_count == 1
    example = failure.examples[0]
    assert (example["value"], example["response_id"], example["_row_numbers"]) == (2, "r0", [2, 5])


def test_uniqueness_is_judged_on_current_rows_only(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """A resubmitted file repeats every key in a newer batch: raw keeps both, only the newer counts."""
    rows = [good_row("equipment_inventory", i) for i in range(3)]
    insert_raw(con, "equipment_inventory", rows, batch="old", loaded_at=dt.datetime(2025, 1, 1))
    insert_raw(con, "equipment_inventory", rows, batch="new", loaded_at=dt.datetime(2025, 2, 1))
    report = validate(con, raw_suite("equipment_inventory", ref))
    assert report.passed, report.message()
    assert report.row_count == 3


def test_missing_column_is_an_error(ref: Reference) -> None:
    connection = duckdb.connect()
    create_raw_tables(connection)
    connection.execute("ALTER TABLE raw.official_series DROP COLUMN note")
    connection.execute("ALTER TABLE raw.official_series ALTER value TYPE VARCHAR")
    report = validate(connection, raw_suite("official_series", ref))
    columns = [f for f in report.failures if f.scope == "columns"]
    assert {(f.expectation, f.unexpected_count) for f in columns} == {
        ("expect_column_values_to_not_be_null", 1),
        ("expect_column_pair_values_to_be_equal", 1),
    }
    by_type = {f.expectation: f.examples[0] for f in columns}
    assert by_type["expect_column_values_to_not_be_null"]["column_name"] == "note"
    assert by_type["expect_column_pair_values_to_be_equal"] == {
        "value": ["VARCHAR", "DOUBLE"],
        "column_name": "value",
    }

"""Row counts against the previously published version, per country, on current rows."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import Reference
from pipelines.quality.runner import validate
from tests.quality.factories import create_raw_tables, good_row, insert_raw

TABLE = "institution_connectivity"


def _warehouse(rows_per_country: dict[str, int]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_raw_tables(con)
    for iso3, n in rows_per_country.items():
        insert_raw(con, TABLE, [good_row(TABLE, i, iso3) for i in range(n)], batch=f"b_{iso3}")
    return con


@pytest.mark.parametrize(
    ("now", "severity", "failing"),
    [
        ({"AFG": 70, "ALB": 100}, "ERROR", {("ERROR", 1), ("WARN", 1)}),  # AFG lost 30%
        ({"AFG": 90, "ALB": 100}, "WARN", {("WARN", 1)}),  # AFG lost 10%
        ({"AFG": 80, "ALB": 100}, "WARN", {("WARN", 1)}),  # exactly 20% is not "more than 20%"
        ({"ALB": 100}, "ERROR", {("ERROR", 1), ("WARN", 1)}),  # AFG vanished
        ({"AFG": 120, "ALB": 100, "DZA": 5}, None, set()),  # growth and new countries are fine
    ],
)
def test_row_drop_per_country(ref: Reference, now: dict, severity: str | None, failing: set) -> None:
    previous = _warehouse({"AFG": 100, "ALB": 100})
    report = validate(_warehouse(now), raw_suite(TABLE, ref), previous=previous)
    found = {(f.severity, f.unexpected_count) for f in report.failures}
    assert found == failing, report.message()
    assert report.severity == severity
    for failure in report.failures:
        assert failure.scope == "row_count_vs_previous"
        assert failure.examples[0]["iso3"] == "AFG" and failure.examples[0]["previous_rows"] == 100


def test_current_rows_are_compared_not_every_version(ref: Reference) -> None:
    """AFG resubmits a shorter file: raw holds 100 + 60 rows, but only the 60 current ones count."""
    previous = _warehouse({"AFG": 100})
    now = _warehouse({"AFG": 100})
    insert_raw(
        now,
        TABLE,
        [good_row(TABLE, i) for i in range(60)],
        batch="b_AFG_v2",
        loaded_at=dt.datetime(2025, 6, 1),
    )
    report = validate(now, raw_suite(TABLE, ref), previous=previous)
    assert report.severity == "ERROR"
    (error,) = [f for f in report.failures if f.severity == "ERROR"]
    assert error.examples[0] == {"value": 40.0, "iso3": "AFG", "previous_rows": 100, "current_rows": 60}


def test_without_a_published_version_the_comparison_is_skipped(ref: Reference) -> None:
    report = validate(_warehouse({"AFG": 3}), raw_suite(TABLE, ref), previous=None)
    assert report.passed
    skipped = [o for o in report.outcomes if o.skipped]
    assert {o.scope for o in skipped} == {"row_count_vs_previous"} and len(skipped) == 2

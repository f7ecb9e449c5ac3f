"""A table larger than one chunk: every planted bad row is found, whichever chunk it falls in."""

from __future__ import annotations

import duckdb

from pipelines.quality.bench import generate_equipment_inventory, validate_cost
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import Reference
from pipelines.quality.runner import validate

ROWS = 600_000
CHUNK = 250_000


def _table_with_planted_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE reference_countries AS SELECT unnest(['AFG', 'ALB', 'DZA']) AS iso3")
    generate_equipment_inventory(con, ROWS)
    # Around both chunk boundaries (250k, 500k) and at the very end; row numbers are unique per
    # file, so (_source_file, _row_number) names each planted row.
    con.execute(
        "UPDATE raw.equipment_inventory SET quantity = -1 WHERE (_source_file, _row_number) IN "
        "(SELECT (_source_file, _row_number) FROM raw.equipment_inventory "
        " WHERE rowid IN (0, 249999, 250000, 499999, 500000, 599999))"
    )


def test_bad_rows_across_chunk_boundaries_are_all_found(ref: Reference) -> None:
    con = duckdb.connect()
    _table_with_planted_rows(con)
    planted = con.execute(
        "SELECT _source_file, _row_number FROM raw.equipment_inventory WHERE quantity < 0"
    ).fetchall()
    report = validate(con, raw_suite("equipment_inventory", ref), chunk_rows=CHUNK, by_value=False)
    assert (report.row_count, report.chunks) == (ROWS, 3)
    by_column = {(f.column, f.scope): f for f in report.failures}
    assert set(by_column) == {("quantity", "rows"), ("quantity, in_working_order", "rows")}, report.message()
    quantity = by_column[("quantity", "rows")]
    assert (quantity.unexpected_count, quantity.element_count) == (6, ROWS)
    assert sorted((e["_source_file"], e["_row_number"]) for e in quantity.examples) == sorted(planted)
    assert {e["value"] for e in quantity.examples} == {-1}


def test_examples_stop_at_twenty(ref: Reference) -> None:
    con = duckdb.connect()
    _table_with_planted_rows(con)
    con.execute("UPDATE raw.equipment_inventory SET year_acquired = 1900 WHERE rowid % 1000 = 0")
    report = validate(con, raw_suite("equipment_inventory", ref), chunk_rows=CHUNK, by_value=False)
    failure = next(f for f in report.failures if f.column == "year_acquired")
    assert failure.unexpected_count == ROWS // 1000
    assert len(failure.examples) == 20
    assert "600 of 600000 rows" in report.message()


def test_validate_cost_reports_time_and_memory() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE reference_countries AS SELECT unnest(['AFG', 'ALB', 'DZA']) AS iso3")
    generate_equipment_inventory(con, 10_000)
    cost = validate_cost(con, "equipment_inventory", chunk_rows=4_000, by_value=False)
    assert cost["rows"] == 10_000 and cost["chunks"] == 3
    assert cost["failed_expectations"] == 0
    assert cost["peak_rss_mib"] >= cost["rss_before_mib"] > 0

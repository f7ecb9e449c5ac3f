"""Rows and tables for the quality tests: raw tables from the schema contract, valid rows, lineage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb
import pandas as pd

from pipelines.ingest.schemas import RAW_TABLES

COUNTRIES = ["AFG", "ALB", "DZA"]
LOADED_AT = dt.datetime(2025, 3, 1, 12, 0)


def create_raw_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table in RAW_TABLES.values():
        columns = ", ".join(f'"{c}" {t}' for c, t in table.all_columns.items())
        connection.execute(f"CREATE TABLE raw.{table.name} ({columns})")


def good_row(table: str, i: int, iso3: str = "AFG") -> dict:
    """A valid row of raw.<table>; `i` makes natural keys distinct."""
    rows: dict[str, Callable[[], dict]] = {
        "survey_responses": lambda: {
            "response_id": f"r{i}",
            "iso3": iso3,
            "round": 2025,
            "form_kind": "kobo",
            "submitted_at": dt.datetime(2025, 2, 1),
            "respondent_role": "institution",
            "institution_id": f"inst{i}",
            "respondent_key": "ab" * 32,
            "form_version": "v1",
        },
        "survey_answers": lambda: {
            "response_id": f"r{i}",
            "iso3": iso3,
            "round": 2025,
            "question_code": "graduates_certified_pct",
            "value_number": 55.0,
        },
        "institution_counts": lambda: {
            "iso3": iso3,
            "year": 2024,
            "vet_level": f"isced_{i}",
            "ownership": "public",
            "sex": "total",
            "measure": "students",
            "value": 1200.0,
        },
        "equipment_inventory": lambda: {
            "iso3": iso3,
            "year": 2024,
            "institution_id": f"inst{i}",
            "item_code": "laptop",
            "category": "computing",
            "quantity": 10,
            "in_working_order": 8,
            "year_acquired": 2019,
            "funding_source": "government",
        },
        "institution_connectivity": lambda: {
            "iso3": iso3,
            "year": 2024,
            "institution_id": f"inst{i}",
            "opened_year": 1995,
            "connectivity_type": "fibre",
            "download_mbps": 50.0,
            "has_electricity": True,
            "students": 300,
        },
        "official_series": lambda: {
            "iso3": iso3,
            "year": 2000 + i,
            "indicator": "itu_internet_users_pct",
            "value": 40.0,
            "source": "ITU",
        },
    }
    return rows[table]()


def insert_raw(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    rows: list[dict],
    batch: str = "b1",
    loaded_at: dt.datetime = LOADED_AT,
) -> None:
    """Append rows with lineage: file `<source>/<batch>.csv`, row numbers from 2 (after the header)."""
    spec = RAW_TABLES[table]
    lineage = {
        "_source_file": f"{spec.source}/{batch}.csv",
        "_sha256": "0" * 64,
        "_sheet": None,
        "_batch_id": batch,
        "_loaded_at": loaded_at,
    }
    frame = pd.DataFrame(
        [
            {**dict.fromkeys(spec.columns), **row, **lineage, "_row_number": n + 2}
            for n, row in enumerate(rows)
        ]
    )
    frame = frame[list(spec.all_columns)]
    connection.register("_rows", frame)
    casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in spec.all_columns.items())
    connection.execute(f"INSERT INTO raw.{table} SELECT {casts} FROM _rows")
    connection.unregister("_rows")


def planted_equipment(rows: int) -> duckdb.DuckDBPyConnection:
    """`rows` generated equipment rows (quality.bench) with failures planted all through them: 60 per
    60,000 negative quantities (ERROR, more than 20 examples), items outside the taxonomy at rows
    15001, 15002 and 55003 (WARN) and acquisition years of 1850 at rows 4 and 59999 (ERROR, an
    INTEGER column)."""
    from pipelines.quality.bench import generate_equipment_inventory

    con = duckdb.connect()
    con.execute("CREATE TABLE reference_countries AS SELECT unnest(['AFG', 'ALB', 'DZA']) AS iso3")
    generate_equipment_inventory(con, rows)
    con.execute("UPDATE raw.equipment_inventory SET quantity = -1 WHERE rowid % 1000 = 7")
    con.execute(
        "UPDATE raw.equipment_inventory SET item_code = 'hammer' WHERE rowid IN (15001, 15002, 55003)"
    )
    con.execute("UPDATE raw.equipment_inventory SET year_acquired = 1850 WHERE rowid IN (4, 59999)")
    return con

"""The inputs of a dbt build, out of a DuckDB warehouse into Parquet: one file per table of the
raw, audit and reference schemas (the ingested rows, the load audit, the seeds as the build loaded
them). Another engine builds the same marts from exactly these rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

INPUT_SCHEMAS = ("raw", "audit", "reference")


@dataclass(frozen=True)
class ExportedTable:
    schema: str
    name: str
    path: Path
    rows: int


def export_inputs(
    warehouse: Path, folder: Path, schemas: tuple[str, ...] = INPUT_SCHEMAS
) -> list[ExportedTable]:
    """Every base table of `schemas` to `folder/<schema>/<table>.parquet`, read-only."""
    tables: list[ExportedTable] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        listed = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in (select unnest(?)) order by 1, 2",
            [list(schemas)],
        ).fetchall()
        for schema, name in listed:
            path = folder / schema / f"{name}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            relation = f'"{schema}"."{name}"'
            con.execute(f"copy (select * from {relation}) to '{_sql_text(path)}' (format parquet)")
            rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
            tables.append(ExportedTable(schema, name, path, int(rows)))
    return tables


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")

"""`vetdx sql --out NAME.csv|.parquet|.xlsx`: a query's result written into the operator's folder.

The analyst names a file, never a path: it lands in the folder the operator configured
(VETDX_SQL_EXPORT_DIR, default `<exports>/sql`), which may not overlap the warehouse folder. The file
is written by this module from the fetched rows, not by SQL in the session, so the session itself
never gets a writable directory. Each file is written beside its target and renamed into place, so a
failed export leaves no half file.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

from pipelines.analyst.errors import BadInput
from pipelines.settings import ENV_SQL_EXPORT_DIR

SUFFIXES = (".csv", ".parquet", ".xlsx")
XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's sheet limit, less the header row
_BATCH = 50_000


def target_path(name: str, folder: Path, warehouse: Path) -> Path:
    """The file `name` in `folder`, after refusing paths, unknown suffixes and a folder that overlaps
    the warehouse's (an export must never land beside, or replace, a published file)."""
    if Path(name).name != name or name in ("", ".", ".."):
        raise BadInput(f"--out takes a file name, not a path: {name!r} (files go to {folder})")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise BadInput(f"--out {name}: the name must end in {', '.join(SUFFIXES)}")
    folder = folder.resolve()
    store = warehouse.resolve().parent
    if folder == store or store in folder.parents or folder in store.parents:
        raise BadInput(
            f"the export folder {folder} overlaps the warehouse folder {store}: set {ENV_SQL_EXPORT_DIR}"
        )
    return folder / name


# What returns rows an analyst means to keep; CREATE ... AS returns a row count, not a result.
_ROW_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.CALL})


def write(result: duckdb.DuckDBPyConnection, statement: duckdb.Statement, target: Path) -> int:
    """Write every row of `result` (of `statement`) to `target`, format from the suffix; the row count."""
    if statement.type not in _ROW_STATEMENTS or not result.description:
        raise BadInput("--out needs a statement that returns rows (the last one of the script)")
    columns = [d[0] for d in result.description]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        suffix = target.suffix.lower()
        if suffix == ".parquet":
            rows = _write_parquet(result, partial)
        elif suffix == ".xlsx":
            rows = _write_xlsx(columns, _batches(result), partial)
        else:
            rows = _write_csv(columns, _batches(result), partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return rows


def _batches(result: duckdb.DuckDBPyConnection) -> Iterator[list[tuple]]:
    while batch := result.fetchmany(_BATCH):
        yield batch


def _write_csv(columns: list[str], batches: Iterator[list[tuple]], path: Path) -> int:
    # UTF-8 with BOM, as the refresh's exports: Excel then reads the Arabic and French names right.
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for batch in batches:
            writer.writerows(batch)
            rows += len(batch)
    return rows


def _write_parquet(result: duckdb.DuckDBPyConnection, path: Path) -> int:
    import pyarrow.parquet as pq  # only exports need pyarrow (~0.2 s to import)

    reader = result.to_arrow_reader(_BATCH)
    rows = 0
    with pq.ParquetWriter(path, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _xlsx_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str | dt.datetime | dt.date):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)  # lists, structs, UUIDs, intervals: their text, as the table output shows them


def _write_xlsx(columns: list[str], batches: Iterator[list[tuple]], path: Path) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet("result")
    header = book.add_format({"bold": True})
    sheet.write_row(0, 0, columns, header)
    rows = 0
    try:
        for batch in batches:
            if rows + len(batch) > XLSX_MAX_ROWS:
                raise BadInput(
                    f"--out: more than {XLSX_MAX_ROWS:,} rows do not fit a sheet; use .parquet or .csv"
                )
            for row in batch:
                rows += 1
                sheet.write_row(rows, 0, [_xlsx_value(v) for v in row])
    finally:
        book.close()
    return rows

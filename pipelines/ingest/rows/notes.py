"""Rows that are not data: footers ("Data from database: ...", "Source: Ministry ..."), notes."""

from __future__ import annotations

import dataclasses

import polars as pl

from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.readers.header import Table


def split_note_rows(table: Table, display_name: str) -> tuple[Table, list[str]]:
    """Drop rows that hold a single text cell in a table of 3+ columns: footers and notes, not data."""
    cells = table.headers
    if len(cells) < 3 or table.data.height == 0:
        return table, []
    filled = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in cells)
    is_note = table.data.select(filled == 1).to_series()
    notes = table.data.filter(is_note)
    kept = table.data.filter(~is_note)
    where = f"{display_name} (sheet '{table.sheet}')" if table.sheet else display_name
    text = []
    for row in notes.iter_rows(named=True):
        cell = next(v for k, v in row.items() if k != ROW and v)
        text.append(f"{where} row {row[ROW]}: skipped note/footer row '{cell}'")
    return dataclasses.replace(table, data=kept), text


def empty_rows(valid: pl.DataFrame, landed: pl.DataFrame) -> list[int]:
    """Row numbers of valid input rows that produced no output (every value missing: `..`, blank)."""
    if valid.height == 0:
        return []
    return valid.join(landed.select(ROW).unique(), on=ROW, how="anti")[ROW].to_list()


def empty_rows_note(display_name: str, sheet: str | None, rows: list[int]) -> list[str]:
    if not rows:
        return []
    where = f"{display_name} (sheet '{sheet}')" if sheet else display_name
    shown = ", ".join(str(r) for r in rows[:20]) + (" ..." if len(rows) > 20 else "")
    return [f"{where}: {len(rows)} row(s) with no values skipped (rows {shown})"]

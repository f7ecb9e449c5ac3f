"""A sheet as read from any format: string cells plus the row number a person sees.

Every reader (text, XLSX, SpreadsheetML) produces `Grid`s so that header detection and the source
parsers never care where the cells came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

ROW = "_row_number"


@dataclass(frozen=True)
class Grid:
    sheet: str | None  # None for text files
    cells: pl.DataFrame  # columns c0..cN, all Utf8, null for blank cells, plus ROW (Int32)

    def head_rows(self, n: int) -> list[list[str | None]]:
        """The first n rows as Python lists (for header detection; never the whole file)."""
        return [list(r[:-1]) for r in self.cells.head(n).iter_rows()]


def column_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def from_frame(sheet: str | None, frame: pl.DataFrame, row_numbers: pl.Series) -> Grid:
    """Normalise a raw frame: positional names, trimmed strings, blank -> null."""
    names = column_names(frame.width)
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    cleaned = frame.select(
        pl.col(c).cast(pl.Utf8).str.strip_chars(" \t\r\n\u00a0\u202f\ufeff") for c in names
    ).select(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in names)
    return Grid(sheet, cleaned.with_columns(row_numbers.cast(pl.Int32).alias(ROW)))

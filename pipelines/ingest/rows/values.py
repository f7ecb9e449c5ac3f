"""Vectorised cell converters shared by the tabular sources (inventory, official, institutions)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.ingest.rows.numbers import parse_numbers
from pipelines.ingest.vocab.yes_no import yes_no


def map_unique(cells: pl.Series, fn: Callable[[str], object], dtype: pl.DataType) -> pl.Series:
    """Apply a Python lookup once per distinct value (a few hundred), not once per row (millions)."""
    distinct = cells.drop_nulls().unique().to_list()
    mapping = {v: fn(v) for v in distinct}
    return cells.replace_strict(mapping, default=None, return_dtype=dtype)


def to_bool(text: str) -> bool | None:
    """A "has electricity / computer lab" cell: yes/no, 1/0, and "available"/"none" (vocab/yes_no.py)."""
    return yes_no(text, "presence")


def numeric(frame: pl.DataFrame, header: str | None) -> tuple[pl.Series, pl.Series]:
    """(Float64 values, Boolean invalid) for a header, all-null when the column is absent."""
    if header is None:
        return pl.Series([None] * frame.height, dtype=pl.Float64), pl.Series([False] * frame.height)
    parsed = parse_numbers(frame[header])
    return parsed.value, parsed.invalid


def not_whole(value: pl.Series) -> pl.Series:
    return (value.is_not_null() & (value != value.round(0))).fill_null(False)

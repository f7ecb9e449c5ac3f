"""Read decoded CSV/TSV/semicolon text into a Grid.

The delimiter is the one that gives the most lines with the same field count (at least 2) in the
first lines; title rows above the header have one field and do not vote. The whole file is read by
Polars as strings (no type inference: a code "007" must stay "007"), with as many columns as the
widest sampled line, so short title lines do not set the width.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import polars as pl

from pipelines.ingest.readers.grid import Grid, column_names, from_frame

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 200


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    return [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter) if row]


def sniff_delimiter(sample_lines: list[str]) -> tuple[str, int]:
    """(delimiter, widest field count in the sample)."""
    best: tuple[int, int, str, int] = (0, 0, ",", 1)
    for delim in _DELIMITERS:
        counts = _field_counts(sample_lines, delim)
        if not counts:
            continue
        modal, votes = Counter(counts).most_common(1)[0]
        if modal < 2:
            continue
        candidate = (votes, modal, delim, max(counts))
        if candidate[:2] > best[:2]:
            best = candidate
    return best[2], best[3]


def _row_numbers(frame: pl.DataFrame, physical_lines: int) -> pl.Series:
    index = pl.int_range(1, frame.height + 1, eager=True)
    if frame.height >= physical_lines or frame.width == 0:
        return index
    # Quoted cells holding line breaks make a record span several lines: shift later rows.
    extra = frame.select(
        pl.sum_horizontal(pl.col(c).str.count_matches("\n").fill_null(0) for c in frame.columns)
    ).to_series()
    return index + extra.cum_sum().shift(1, fill_value=0)


def _read(raw: bytes, delimiter: str, width: int, truncate: bool) -> pl.DataFrame:
    return pl.read_csv(
        raw,
        has_header=False,
        separator=delimiter,
        schema=dict.fromkeys(column_names(width), pl.Utf8),
        # The first line may be a one-cell title: widen to the sampled width instead of failing.
        missing_columns="insert",
        truncate_ragged_lines=truncate,
        raise_if_empty=False,
    )


def _widest(raw: bytes, delimiter: str) -> int:
    text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="replace", newline="")
    return max((len(row) for row in csv.reader(text, delimiter=delimiter)), default=1)


def read_text(text: str | bytes) -> tuple[Grid, str]:
    """Grid of the text (str, or UTF-8 bytes without BOM for speed) and the delimiter used."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if b"\n" not in raw and b"\r" in raw:
        raw = raw.replace(b"\r", b"\n")  # classic Mac line ends
    head = raw[: 1 << 20].decode("utf-8", errors="replace").splitlines()[:_SAMPLE_LINES]
    delimiter, width = sniff_delimiter(head)
    try:
        frame = _read(raw, delimiter, width, truncate=False)
    except pl.exceptions.ComputeError as exc:
        if "more fields" not in str(exc):
            raise
        # A line past the sample is wider than the sampled width: truncating it would hide the
        # extra fields (and read the row shifted). One pass finds the widest line; ragged.py
        # then quarantines the rows that are wider than their header.
        # (Truncating there only guards against Python's csv and Polars disagreeing on quotes.)
        frame = _read(raw, delimiter, _widest(raw, delimiter), truncate=True)
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    return from_frame(None, frame, _row_numbers(frame, lines)), delimiter

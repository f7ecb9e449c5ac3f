"""A country re-sends its equipment inventory with a few quantities corrected, under the same path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

CHANGED_ROWS = 5


@contextmanager
def changed_quantities(path: Path, rows: int = CHANGED_ROWS) -> Iterator[dict]:
    """Add 1 to `quantity` in `rows` rows spread over the file; the original bytes come back after.

    +1 keeps every row valid (in working order never exceeds the quantity), so the refresh lands the
    new version whole. Cells are read and written as text in the file's own delimiter, so nothing
    but those cells changes.
    """
    original = path.read_bytes()
    header = original.split(b"\n", 1)[0]
    separator = ";" if header.count(b";") > header.count(b",") else ","
    frame = pl.read_csv(path, separator=separator, infer_schema=False)
    picked = [i * max(1, frame.height // rows) for i in range(min(rows, frame.height))]
    bumped = (pl.col("quantity").cast(pl.Int64) + 1).cast(pl.Utf8)
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()).is_in(picked))
        .then(bumped)
        .otherwise(pl.col("quantity"))
        .alias("quantity")
    )
    try:
        frame.write_csv(path, separator=separator)
        yield {"file": path.name, "rows_changed": len(picked), "rows_in_file": frame.height}
    finally:
        path.write_bytes(original)

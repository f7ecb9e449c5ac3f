"""Rows of a text file with more fields than its header: quarantined, never read shifted.

An API CSV re-saved by hand loses the quotes around `Egypt, Arab Rep.`: the row gets one field more
than the header, and read by position its country is "Egypt", its code " Arab Rep." and every value
one column off (issue 12: four members vanished as `unknown_indicator`/`unresolved_country`). The
cells right of the header's last named column tell such rows apart: a trailing empty field (World
Bank API files end every line with a comma) is no field.

Workbooks are left alone: a cell right of a sheet's header is a note someone typed, not a split one.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.readers.header import Table
from pipelines.ingest.rows import reasons
from pipelines.ingest.rows.model import empty_rejects
from pipelines.ingest.rows.rejects import original_json


def split_ragged(table: Table, display_name: str) -> tuple[Table, pl.DataFrame]:
    """(the table without its ragged rows and header-less columns, reject frame of those rows)."""
    if table.sheet is not None or not table.extra:
        return table, empty_rejects()
    extra = list(table.extra)
    width = len(table.headers) - len(extra)
    data = table.data
    # Fields a row has: up to its last non-empty cell among the extra columns.
    fields = pl.max_horizontal(
        pl.when(pl.col(c).is_not_null()).then(pl.lit(width + i + 1)).otherwise(pl.lit(0))
        for i, c in enumerate(extra)
    ).alias("__fields")
    flagged = data.with_columns(fields)
    bad = flagged.filter(pl.col("__fields") > 0)
    named = table.headers[:width]
    kept = Table(
        table.sheet,
        named,
        flagged.filter(pl.col("__fields") == 0).select(*named, ROW),
        table.title,
        table.header_row,
    )
    if bad.height == 0:
        return kept, empty_rejects()
    rejects = bad.select(
        pl.lit(None, dtype=pl.Utf8).alias("_sheet"),
        pl.col(ROW).cast(pl.Int32),
        pl.lit(reasons.RAGGED_ROW).alias("reason_code"),
        pl.lit(None, dtype=pl.Utf8).alias("column_name"),
        pl.format(
            f"{display_name} row {{}}: row has {{}} fields, the header has {width} "
            "(an unquoted delimiter inside a cell?); not read shifted",
            pl.col(ROW),
            pl.col("__fields"),
        ).alias("message"),
        original_json(table.headers).alias("original"),
    )
    return kept, rejects

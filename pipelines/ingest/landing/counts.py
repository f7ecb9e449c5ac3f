"""How many input rows of a parsed file landed and how many were quarantined.

Counted beside the parser (in its worker), not in the loader: the loader's thread also runs every
INSERT, and on the 10M-row benchmark it was the busiest thread of the ingest, with the count taking
~12 % of its samples (py-spy, 9.2M equipment rows). The loader still refuses a file whose counts do
not add up to the rows read.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.ingest.rows.model import ParsedFile


@dataclass(frozen=True)
class CountedFile:
    parsed: ParsedFile
    rows_landed: int  # input rows with at least one output row and no reject
    rows_quarantined: int  # input rows rejected (whatever else they gave)


def count_input_rows(parsed: ParsedFile) -> CountedFile:
    """Input rows (sheet, row number) that landed and that were quarantined.

    One input row can feed several tables (a survey submission gives a response and its answers),
    so rows are counted by identity, not by output rows. A row counted as quarantined is never also
    counted as landed.
    """

    def ids(frames: list[pl.DataFrame]) -> pl.DataFrame:
        key = [pl.col("_sheet").cast(pl.Utf8).fill_null(""), pl.col("_row_number").cast(pl.Int64)]
        parts = [f.select(key) for f in frames if f.height]
        if not parts:
            return pl.DataFrame(schema={"_sheet": pl.Utf8, "_row_number": pl.Int64})
        return pl.concat(parts).unique()

    landed = ids([t.rows for t in parsed.tables])
    rejected = ids([t.rejects for t in parsed.tables])
    kept = landed.join(rejected, on=["_sheet", "_row_number"], how="anti").height
    return CountedFile(parsed, kept, rejected.height)

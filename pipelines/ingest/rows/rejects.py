"""Row validation as data: each `Check` is a Polars expression, so millions of rows are validated
without Python loops, and only failing rows get a message (built with `pl.format`).

A row failing several checks is rejected once, with the first failing check in list order.
`original` keeps the row's cells as read ({header: text}); personal-data columns are masked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from pipelines.ingest.privacy.pii import REDACTED
from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.rows.model import REJECT_COLUMNS


@dataclass(frozen=True)
class Check:
    reason: str  # reasons.* code
    column: str  # header as written in the file
    failing: pl.Expr | pl.Series  # True where the row fails
    problem: str  # end of the message, e.g. "is not a number"
    show_value: bool = True  # quote the cell text before `problem`


def original_json(headers: list[str], redacted: frozenset[str] = frozenset()) -> pl.Expr:
    fields = [(pl.lit(REDACTED) if h in redacted else pl.col(h)).alias(h) for h in headers]
    return pl.struct(fields).struct.json_encode()


def _message(display_name: str, check: Check) -> pl.Expr:
    head = pl.format(f"{display_name} row {{}}, column '{check.column}': ", pl.col(ROW))
    if not check.show_value:
        return pl.concat_str([head, pl.lit(check.problem)])
    return pl.concat_str(
        [head, pl.lit("'"), pl.col(check.column).fill_null(""), pl.lit(f"' {check.problem}")]
    )


def split_rejects(
    frame: pl.DataFrame,
    checks: list[Check],
    display_name: str,
    sheet: str | None,
    headers: list[str],
    redacted: frozenset[str] = frozenset(),
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows passing every check, reject frame with REJECT_COLUMNS)."""
    if not checks:
        return frame, empty_like()
    # Evaluate every check on the full frame once (checks may be Series aligned with it), then
    # refer to the results by name so they stay aligned after filtering.
    flags = [f"__fail{i}" for i in range(len(checks))]
    frame = frame.with_columns(
        (c.failing if isinstance(c.failing, pl.Expr) else pl.lit(c.failing)).fill_null(False).alias(f)
        for c, f in zip(checks, flags, strict=True)
    )
    reason = pl.coalesce(
        [pl.when(pl.col(f)).then(pl.lit(c.reason)) for c, f in zip(checks, flags, strict=True)]
    )
    column = pl.coalesce(
        [pl.when(pl.col(f)).then(pl.lit(c.column)) for c, f in zip(checks, flags, strict=True)]
    )
    message = pl.coalesce(
        [pl.when(pl.col(f)).then(_message(display_name, c)) for c, f in zip(checks, flags, strict=True)]
    )
    flagged = frame.with_columns(reason.alias("reason_code"))
    bad = flagged.filter(pl.col("reason_code").is_not_null())
    rejects = bad.select(
        pl.lit(sheet, dtype=pl.Utf8).alias("_sheet"),
        pl.col(ROW).cast(pl.Int32),
        pl.col("reason_code"),
        column.alias("column_name"),
        message.alias("message"),
        original_json(headers, redacted).alias("original"),
    )
    good = flagged.filter(pl.col("reason_code").is_null()).drop("reason_code", *flags)
    return good, rejects


def empty_like() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_COLUMNS)


def reject_row(
    display_name: str,
    sheet: str | None,
    row_number: int,
    reason: str,
    column: str | None,
    problem: str,
    original: dict[str, str | None],
) -> dict[str, object]:
    """One reject as a dict (for the row-by-row survey parser)."""
    where = f"{display_name} row {row_number}" + (f", column '{column}'" if column else "")
    return {
        "_sheet": sheet,
        "_row_number": row_number,
        "reason_code": reason,
        "column_name": column,
        "message": f"{where}: {problem}",
        "original": json.dumps(original, ensure_ascii=False),
    }


def rejects_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=REJECT_COLUMNS) if rows else empty_like()

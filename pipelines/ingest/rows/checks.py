"""The validation idioms the tabular parsers share, one helper each (they were copied per parser).

- `require_columns`: a header without a required column refuses the file, naming the column.
- `number_checks`: a numeric column's cells are numbers, whole when counts, not negative when counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from pipelines.ingest.rows import reasons, rules
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.rows.rejects import Check
from pipelines.ingest.rows.values import not_whole


def require_columns(
    cols: Mapping[str, str], names: Iterable[str], display_name: str, sheet: str | None = None
) -> None:
    """Refuse the file at the first of `names` its header does not map (`missing_required_column`)."""
    for name in names:
        if name not in cols:
            where = f" (sheet '{sheet}')" if sheet else ""
            raise FileRejected(
                reasons.MISSING_REQUIRED_COLUMN, f"{display_name}{where}: required column '{name}' is missing"
            )


def number_checks(
    header: str, value: pl.Series, invalid: pl.Series, *, whole: bool = False, count: bool = False
) -> list[Check]:
    """Not a number; then, if `whole`, not a whole number; then, if `count`, negative (in that order:
    a row failing several is quarantined with the first)."""
    checks = [Check(reasons.INVALID_NUMBER, header, invalid, "is not a number")]
    if whole:
        checks.append(Check(reasons.INVALID_NUMBER, header, not_whole(value), "is not a whole number"))
    if count:
        checks.append(rules.negative_check(header, value))  # the bound the raw checks test
    return checks

"""Row rules: the bounds a raw row must respect, shared by the parsers and the blocking raw checks.

The parsers quarantine a row that breaks one of these rules, with its reason; the raw suites
(pipelines/quality/raw_suites.py) test the same bounds, from this module, as a safety net. A row the
checks would reject therefore never lands, and one bad row cannot stop publication for every
country (issue 12). What the checks still catch is what row rules cannot see: a table out of shape,
a row count collapsing against the published version, a parser bug.

Years (docs/official-files.md explains the decision):
- FIRST_YEAR .. current year + 1 is the reference period: kept.
- FIRST_HISTORY_YEAR .. FIRST_YEAR - 1 is history before vetdx's first round (World Bank API files
  start in 1960): out of scope, not landed. A wide file's year column out of scope is not read (one
  note); a long file's row with such a year is quarantined as `year_out_of_scope`.
- A later year (a projection such as UN population 2030-2100) is out of scope the same way.
- Anything else (1066, 20019, 2024.5, "FY24") is not a year: `invalid_date`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl

from pipelines.ingest.rows import reasons
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.rows.rejects import Check

FIRST_YEAR = 2000  # the earliest reference year / survey round vetdx publishes
FIRST_HISTORY_YEAR = 1900  # below this a "year" is a typo, not history
LAST_PLAUSIBLE_YEAR = 2100  # above this a "year" is a typo, not a projection
FIRST_ACQUISITION_YEAR = 1950  # equipment older than this is a typo
FIRST_OPENED_YEAR = 1800  # some institutions are old; older than this is a typo
MAX_MBPS = 100_000  # codebook max for broadband_mbps: above it is a unit error (kbps)
PERCENT_MIN, PERCENT_MAX = 0.0, 100.0

# Units a catalogue or codebook writes for a 0-100 share. The raw checks use the exact spellings
# (pipelines/quality/reference.py); the parsers also take "% of population", "% of GDP" (a share
# of a whole cannot exceed it): stricter at ingest is safe, looser would let the checks block.
PERCENT_UNITS = ("pct", "percent", "%")
PERCENT_SUFFIX = "_pct"  # naming convention the checks fall back on without a percent unit


def last_year(current_year: int) -> int:
    """The last reference year accepted: next year's round is collected this year."""
    return current_year + 1


def this_year() -> int:
    return dt.date.today().year


def is_percent_unit(unit: str | None) -> bool:
    text = (unit or "").strip().lower()
    return text in PERCENT_UNITS or text.startswith("%") or text.startswith("percent")


def percent_indicators(catalogue: Iterable[Mapping[str, str]]) -> frozenset[str]:
    """Catalogue codes whose values are shares 0-100: a percent unit, or the `_pct` convention."""
    return frozenset(
        row["code"]
        for row in catalogue
        if row.get("code")
        and (is_percent_unit(row.get("unit")) or row["code"].lower().endswith(PERCENT_SUFFIX))
    )


def year_verdict(year: pl.Series, current_year: int) -> tuple[pl.Series, pl.Series]:
    """(not a year, a year out of scope) for a Float64 series; nulls are neither."""
    whole = year == year.round(0)
    plausible = whole & year.is_between(FIRST_HISTORY_YEAR, LAST_PLAUSIBLE_YEAR)
    in_scope = year.is_between(FIRST_YEAR, last_year(current_year))
    return (~plausible).fill_null(False), (plausible & ~in_scope).fill_null(False)


def out_of_scope_problem(current_year: int) -> str:
    return (
        f"is outside the reference period {FIRST_YEAR}-{last_year(current_year)}: history before the "
        "first round or a projection, not landed"
    )


def year_in_scope(year: int, current_year: int) -> bool:
    return FIRST_YEAR <= year <= last_year(current_year)


def percent_out_of_range(value: pl.Series, is_percent: pl.Series) -> pl.Series:
    """True where a percent indicator's value is outside 0-100."""
    return (is_percent & ~value.is_between(PERCENT_MIN, PERCENT_MAX)).fill_null(False)


def year_checks(header: str, year: pl.Series, invalid: pl.Series, current_year: int) -> list[Check]:
    """The row rules of a year column: empty, not a year, outside the reference period."""
    not_year, out_of_scope = year_verdict(year, current_year)
    return [
        Check(reasons.MISSING_REQUIRED, header, year.is_null() & ~invalid, "year is empty", show_value=False),
        Check(reasons.INVALID_DATE, header, invalid | not_year, "is not a year"),
        Check(reasons.YEAR_OUT_OF_SCOPE, header, out_of_scope, out_of_scope_problem(current_year)),
    ]


def negative_check(header: str, value: pl.Series) -> Check:
    """A count (institutions, students, items) below zero: the raw checks require >= 0."""
    return Check(reasons.OUT_OF_RANGE, header, (value < 0).fill_null(False), "is negative: a count cannot be")


def duplicate_check(header: str, key: list[str], problem: str) -> Check:
    """A row whose key (frame columns) an earlier row of the file had: the first occurrence wins.
    Parsers apply it to the rows the other checks kept, so an invalid first row never shadows a
    valid repeat."""
    repeated = ~pl.struct(key).is_first_distinct()
    return Check(reasons.DUPLICATE_KEY, header, repeated, problem, show_value=False)


def hinted_year(year: int, where: str, display_name: str, current_year: int) -> int:
    """A year read from a title or file name, for every row: outside the period, the file is out."""
    if not year_in_scope(year, current_year):
        raise FileRejected(
            reasons.YEAR_OUT_OF_SCOPE,
            f"{display_name}: the year {year} given by the {where} {out_of_scope_problem(current_year)}",
        )
    return year

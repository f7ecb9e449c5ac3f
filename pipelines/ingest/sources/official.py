"""Official series (source `official`): tidy `country, year, indicator, value [, source, note]`
files and World Bank DataBank wide exports (`Country Name, Country Code, Series Name, Series Code,
2015 [YR2015], ...`).

- Year columns ("2015", "2015 [YR2015]", "YR2015") make a file wide; it is melted to one row per year.
- `..` and other missing tokens give no row (the source has no value), they are not errors.
- Footers (a single text cell: "Data from database: ...", "Last Updated: ...") are skipped as notes.
- Indicators must be catalogue codes or their `source_code` (World Bank series codes), else
  `unknown_indicator`. Countries that are recognised aggregates or non-member ISO3 codes ("World",
  "ARB", "FRA") get `not_member_state`, unrecognised names `unresolved_country`.
"""

from __future__ import annotations

import re

import polars as pl

from pipelines.ingest.context import ParseContext
from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.readers.header import Table
from pipelines.ingest.rows import reasons, rules
from pipelines.ingest.rows.checks import number_checks, require_columns
from pipelines.ingest.rows.model import FileRejected, ParsedTable
from pipelines.ingest.rows.notes import empty_rows, empty_rows_note
from pipelines.ingest.rows.rejects import Check, empty_like, split_rejects
from pipelines.ingest.rows.values import map_unique, numeric
from pipelines.ingest.vocab.synonyms import map_headers, synonyms, vocabulary
from pipelines.ingest.vocab.text import fold

# Synonyms are ranked (vocab/synonyms.py): codes first, names last, so a file holding both a code
# and a name column reads the code. World Bank API CSVs ("Indicator Code"), DataBank ("Series Code",
# "Series"), UIS extracts ("INDICATOR_ID", "EDULIT_IND", "LOCATION", "COUNTRY_ID", "TIME"), SDMX-CSV
# ("REF_AREA", "TIME_PERIOD", "OBS_VALUE") and the UN Statistical Yearbook ("Region/Country/Area"):
# vocabulary `official.columns` of vocab/synonyms.csv.
COLUMNS = synonyms("official.columns")
_YEAR_HEADER = re.compile(r"^(?:YR)?(20\d{2}|19\d{2})(?:\s*\[YR\d{4}\])?$", re.I)
# Headers that mark a header row without being read (DataBank's "Series Name" beside "Series Code").
HEADER_WORDS = vocabulary(COLUMNS) | vocabulary(synonyms("official.other_headers"))


def is_header_word(cell: str) -> bool:
    return fold(cell) in HEADER_WORDS or bool(_YEAR_HEADER.match(cell.strip()))


def is_world_bank(headers: list[str]) -> bool:
    """A World Bank file: DataBank export ("Series Code") or API CSV ("Indicator Code" + years)."""
    folded = {fold(h) for h in headers}
    return "series code" in folded or ("indicator code" in folded and bool(_year_columns(headers)))


def _year_columns(headers: list[str]) -> dict[str, int]:
    return {h: int(m.group(1)) for h in headers if (m := _YEAR_HEADER.match(h.strip()))}


def _country(table: Table, cols: dict[str, str], ctx: ParseContext) -> tuple[pl.Series, list[Check]]:
    data = table.data
    code_h, name_h = cols.get("country_code"), cols.get("country")
    shown = code_h or name_h
    if shown is None:
        raise FileRejected(reasons.MISSING_REQUIRED_COLUMN, "required column 'country' is missing")
    by_code = map_unique(data[code_h], ctx.countries.resolve, pl.Utf8) if code_h else None
    by_name = map_unique(data[name_h], ctx.countries.resolve, pl.Utf8) if name_h else None
    found = [s for s in (by_code, by_name) if s is not None]
    iso3 = pl.select(pl.coalesce(found)).to_series()  # the code wins over the name when both resolve
    non_member = pl.Series([False] * data.height)
    for h in (code_h, name_h):
        if h:
            non_member = non_member | map_unique(data[h], ctx.countries.is_non_member, pl.Boolean).fill_null(
                False
            )
    blank = pl.all_horizontal(data[h].is_null() for h in (code_h, name_h) if h)
    return iso3, [
        Check(
            reasons.MISSING_REQUIRED,
            shown,
            data.select(blank).to_series(),
            "country is empty",
            show_value=False,
        ),
        Check(
            reasons.NOT_MEMBER_STATE,
            shown,
            iso3.is_null() & non_member,
            "is an aggregate or a country that is not an OIC member state",
        ),
        Check(reasons.UNRESOLVED_COUNTRY, shown, iso3.is_null(), "is not an OIC member state name or code"),
    ]


def _indicator(table: Table, cols: dict[str, str], ctx: ParseContext) -> tuple[pl.Series, list[Check]]:
    h = cols["indicator"]
    data = table.data
    code = map_unique(data[h], lambda v: ctx.catalogue_codes.get(v.strip().casefold()), pl.Utf8)
    return code, [
        Check(reasons.MISSING_REQUIRED, h, data[h].is_null(), "indicator is empty", show_value=False),
        Check(reasons.UNKNOWN_INDICATOR, h, code.is_null(), "is not an indicator code of the catalogue"),
    ]


def _scope_years(
    years: dict[str, int], ctx: ParseContext, display_name: str
) -> tuple[dict[str, int], list[str]]:
    """The year columns inside the reference period, and a note naming the ones left out.

    A World Bank API CSV has columns 1960-2024: the 40 before FIRST_YEAR are history vetdx does not
    publish, so they are not read, rather than quarantining every row of the file for them.
    """
    kept = {h: y for h, y in years.items() if rules.year_in_scope(y, ctx.current_year)}
    left = sorted(y for y in years.values() if not rules.year_in_scope(y, ctx.current_year))
    if not left:
        return kept, []
    return kept, [
        f"{display_name}: {len(left)} year column(s) {left[0]}-{left[-1]} outside the reference period "
        f"{rules.FIRST_YEAR}-{rules.last_year(ctx.current_year)} not read"
    ]


def _percent_check(header: str, value: pl.Series, indicator: pl.Series, ctx: ParseContext) -> Check:
    is_percent = indicator.is_in(sorted(ctx.percent_indicators))
    return Check(
        reasons.OUT_OF_RANGE,
        header,
        rules.percent_out_of_range(value, is_percent),
        f"is outside {rules.PERCENT_MIN:g}-{rules.PERCENT_MAX:g} for a percent indicator",
    )


def _long_checks(data: pl.DataFrame, cols: dict[str, str], parsed: dict, ctx: ParseContext) -> list[Check]:
    """Row rules of a tidy file (one value per row): the row is the observation."""
    h, y_h = cols["value"], cols["year"]
    value, bad_value = numeric(data, h)
    year, bad_year = numeric(data, y_h)
    parsed["__v0"] = value
    parsed["__year"] = year.cast(pl.Int32, strict=False)
    return [
        *number_checks(h, value, bad_value),
        *rules.year_checks(y_h, year, bad_year, ctx.current_year),
        _percent_check(h, value, parsed["__indicator"], ctx),
    ]


def _cell_checks(
    good: pl.DataFrame, years: dict[str, int], ctx: ParseContext
) -> tuple[pl.DataFrame, list[Check]]:
    """Row rules of a wide file's cells: a bad cell is quarantined with its row, the row's other years
    still land (one 104.5 does not cost a series its 24 other years). Bad cells become NULL."""
    checks, cleared = [], []
    for i, h in enumerate(years):
        value, bad = numeric(good, h)
        percent = _percent_check(h, value, good["__indicator"], ctx)
        checks += [*number_checks(h, value, bad), percent]
        cleared.append(pl.when(percent.failing).then(None).otherwise(value).alias(f"__v{i}"))
    return good.with_columns(cleared), checks


def _melt(good: pl.DataFrame, years: dict[str, int]) -> pl.DataFrame:
    """One row per (input row, year column) of a wide file; `__v{i}` holds column i's values."""
    if not years:  # every year column is out of scope: nothing to land
        return good.select(
            "__iso3",
            pl.lit(None, dtype=pl.Int32).alias("__year"),
            "__indicator",
            pl.lit(None, dtype=pl.Float64).alias("__value"),
            "__source",
            "__note",
            ROW,
        )
    return pl.concat(
        [
            good.select(
                "__iso3",
                pl.lit(year, dtype=pl.Int32).alias("__year"),
                "__indicator",
                pl.col(f"__v{i}").alias("__value"),
                "__source",
                "__note",
                ROW,
            )
            for i, year in enumerate(years.values())
        ]
    )


def parse_official(
    table: Table, ctx: ParseContext, display_name: str, default_source: str | None
) -> tuple[ParsedTable, int, list[str]]:
    """(parsed table, input rows read, notes on rows without values and columns not read)."""
    cols = map_headers(table.headers, COLUMNS)
    all_years = _year_columns(table.headers)
    wide = bool(all_years)
    years, notes = _scope_years(all_years, ctx, display_name)
    require_columns(cols, ("indicator",) if wide else ("indicator", "year", "value"), display_name)
    try:
        iso3, checks = _country(table, cols, ctx)
    except FileRejected as exc:
        raise FileRejected(exc.reason_code, f"{display_name}: {exc.message}") from exc
    indicator, indicator_checks = _indicator(table, cols, ctx)
    checks += indicator_checks
    data = table.data
    parsed: dict[str, pl.Series] = {"__iso3": iso3, "__indicator": indicator}
    if not wide:
        checks += _long_checks(data, cols, parsed, ctx)
    for name in ("source", "note"):
        parsed[f"__{name}"] = (
            data[cols[name]]
            if name in cols
            else pl.Series([default_source if name == "source" else None] * data.height, dtype=pl.Utf8)
        )
    frame = pl.concat([data, pl.DataFrame(parsed)], how="horizontal")
    key = ["__iso3", "__indicator"] if wide else ["__iso3", "__year", "__indicator"]
    good, rejects = split_rejects(frame, checks, display_name, table.sheet, table.headers)
    duplicate = rules.duplicate_check(
        cols["indicator"], key, "repeats country, year and indicator of an earlier row"
    )
    good, dups = split_rejects(good, [duplicate], display_name, table.sheet, table.headers)
    parts = [rejects, dups]
    if wide:
        good, cell_checks = _cell_checks(good, years, ctx)
        # Only the reject frame is kept: the rows stay in `good`, their bad cells are NULL now.
        parts.append(split_rejects(good, cell_checks, display_name, table.sheet, table.headers)[1])
        long = _melt(good, years)
    else:
        long = good.select(
            "__iso3", "__year", "__indicator", pl.col("__v0").alias("__value"), "__source", "__note", ROW
        )
    rows = (
        long.filter(pl.col("__value").is_not_null())
        .sort(ROW, "__year")
        .select(
            pl.col("__iso3").alias("iso3"),
            pl.col("__year").alias("year"),
            pl.col("__indicator").alias("indicator"),
            pl.col("__value").alias("value"),
            pl.col("__source").alias("source"),
            pl.col("__note").alias("note"),
            pl.lit(table.sheet, dtype=pl.Utf8).alias("_sheet"),
            pl.col(ROW).cast(pl.Int32),
        )
    )
    parts = [p for p in parts if p.height]
    all_rejects = pl.concat(parts) if parts else empty_like()
    # Rows whose every value is missing are not data (nothing to land, nothing wrong): not read.
    # A wide row whose only values were bad cells is quarantined, not empty.
    empty = empty_rows(good.select(ROW), pl.concat([rows.select(ROW), all_rejects.select(ROW)]))
    notes += empty_rows_note(display_name, table.sheet, empty)
    return ParsedTable("official_series", rows, all_rejects), data.height - len(empty), notes

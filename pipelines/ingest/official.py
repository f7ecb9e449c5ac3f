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

from pipelines.ingest import reasons
from pipelines.ingest.columns import map_headers, vocabulary
from pipelines.ingest.context import ParseContext
from pipelines.ingest.grid import ROW
from pipelines.ingest.header import Table
from pipelines.ingest.model import FileRejected, ParsedTable
from pipelines.ingest.notes import empty_rows, empty_rows_note
from pipelines.ingest.rejects import Check, empty_like, split_rejects
from pipelines.ingest.text import fold
from pipelines.ingest.values import map_unique, not_whole, numeric

COLUMNS = {
    "country_code": ("iso3", "country code", "country_code", "code pays", "رمز البلد"),
    "country": ("country name", "pays", "البلد", "الدولة", "economy", "area"),
    "year": ("time", "annee", "السنة", "period"),
    "indicator": (
        "series code",
        "indicator code",
        "indicator_code",
        "series",
        "indicateur",
        "code indicateur",
        "المؤشر",
    ),
    "value": ("obs value", "obs_value", "valeur", "القيمة"),
    "source": ("data source", "الجهة المصدر"),
    "note": ("notes", "remarque", "footnote", "ملاحظة"),
}
_YEAR_HEADER = re.compile(r"^(?:YR)?(20\d{2}|19\d{2})(?:\s*\[YR\d{4}\])?$", re.I)
HEADER_WORDS = vocabulary(COLUMNS) | {"series name"}


def is_header_word(cell: str) -> bool:
    return fold(cell) in HEADER_WORDS or bool(_YEAR_HEADER.match(cell.strip()))


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


def parse_official(
    table: Table, ctx: ParseContext, display_name: str, default_source: str | None
) -> tuple[ParsedTable, int, list[str]]:
    """(parsed table, input rows read, notes on rows without values)."""
    cols = map_headers(table.headers, COLUMNS)
    years = _year_columns(table.headers)
    if "indicator" not in cols:
        raise FileRejected(
            reasons.MISSING_REQUIRED_COLUMN, f"{display_name}: required column 'indicator' is missing"
        )
    if not years:
        for name in ("year", "value"):
            if name not in cols:
                raise FileRejected(
                    reasons.MISSING_REQUIRED_COLUMN, f"{display_name}: required column '{name}' is missing"
                )
    try:
        iso3, checks = _country(table, cols, ctx)
    except FileRejected as exc:
        raise FileRejected(exc.reason_code, f"{display_name}: {exc.message}") from exc
    indicator, indicator_checks = _indicator(table, cols, ctx)
    checks += indicator_checks
    data = table.data
    value_cols = list(years) if years else [cols["value"]]
    parsed: dict[str, pl.Series] = {"__iso3": iso3, "__indicator": indicator}
    for i, h in enumerate(value_cols):
        value, bad = numeric(data, h)
        parsed[f"__v{i}"] = value
        checks.append(Check(reasons.INVALID_NUMBER, h, bad, "is not a number"))
    if not years:
        y, bad = numeric(data, cols["year"])
        checks.append(
            Check(
                reasons.INVALID_DATE,
                cols["year"],
                bad | not_whole(y) | ~y.is_between(1960, 2100).fill_null(False),
                "is not a year",
            )
        )
        parsed["__year"] = y.cast(pl.Int32, strict=False)
    for name in ("source", "note"):
        parsed[f"__{name}"] = (
            data[cols[name]]
            if name in cols
            else pl.Series([default_source if name == "source" else None] * data.height, dtype=pl.Utf8)
        )
    frame = pl.concat([data, pl.DataFrame(parsed)], how="horizontal")
    key = ["__iso3", "__indicator"] if years else ["__iso3", "__year", "__indicator"]
    good, rejects = split_rejects(frame, checks, display_name, table.sheet, table.headers)
    duplicate = Check(
        reasons.DUPLICATE_KEY,
        cols["indicator"],
        ~pl.struct(key).is_first_distinct(),
        "repeats country, year and indicator of an earlier row",
        show_value=False,
    )
    good, dups = split_rejects(good, [duplicate], display_name, table.sheet, table.headers)
    if years:
        long = pl.concat(
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
    all_rejects = pl.concat([rejects, dups]) if rejects.height or dups.height else empty_like()
    # Rows whose every value is missing are not data (nothing to land, nothing wrong): not read.
    empty = empty_rows(good.select(ROW), rows)
    notes = empty_rows_note(display_name, table.sheet, empty)
    return ParsedTable("official_series", rows, all_rejects), data.height - len(empty), notes

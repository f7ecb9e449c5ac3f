"""Ministry counts (source `institutions`) -> raw.institution_counts (long rows).

Wide layout: one row per VET level x ownership, measure columns for institutions, students
(female/male/total) and teachers (female/male/total), labels in EN/FR/AR, often under a two-row
merged header ("Students" over "Female | Male | Total"). Long layout: `country, year, vet_level,
ownership, sex, measure, value`.

Totals rows ("TOTAL", "Ensemble", "المجموع" as level or ownership) are derived data: skipped and
listed in the notes, and not counted as rows read, when the sheet also has the detail rows they sum;
a sheet that only has totals keeps them as `total`. An absent level/ownership column means `total`.
Institutions are always sex `total`; given female, male and total are all kept as given.

Precedence: country = column > title rows > file name/folders (`AZE_...`); year = column > sheet
name > title rows > file name/folders.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import polars as pl

from pipelines.ingest.context import ParseContext
from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.readers.header import Table
from pipelines.ingest.rows import reasons, rules
from pipelines.ingest.rows.checks import number_checks
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.rows.notes import empty_rows, empty_rows_note
from pipelines.ingest.rows.rejects import Check, split_rejects
from pipelines.ingest.rows.values import map_unique, numeric
from pipelines.ingest.sources import hints
from pipelines.ingest.vocab.synonyms import map_headers, synonyms, vocabulary
from pipelines.ingest.vocab.text import fold

# Spellings in EN/FR/AR: vocabularies `institutions.*` of vocab/synonyms.csv.
DIMENSIONS = synonyms("institutions.dimensions")  # the columns of the long layout
_DIMENSION_WORDS = vocabulary(DIMENSIONS)
_MEASURES = synonyms("institutions.measures")  # a measure named by a header or a `measure` cell
_SEXES = synonyms("institutions.sexes")
# "Total" means the same for ownership as for sex: one list of spellings serves both.
_OWNERSHIP = {**synonyms("institutions.ownership"), "total": _SEXES["total"]}
# A totals row names its level "TOTAL" or one of the longer spellings of level_totals ("grand total").
_TOTAL_WORDS = {fold(w) for w in (*_SEXES["total"], *synonyms("institutions.level_totals")["total"])}


def _find(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    padded = f" {fold(text)} "
    return next((k for k, words in table.items() if any(f" {fold(w)} " in padded for w in words)), None)


def _exact(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    key = fold(text)
    return next((k for k, words in table.items() if key == fold(k) or key in {fold(w) for w in words}), None)


# Cached, like is_header_word: both depend on the text alone, and the header search asks them of
# every cell of a file's first 30 rows (20,541 questions for the benchmark's 73 ministry files).
@lru_cache(maxsize=1 << 14)
def measure_column(header: str) -> tuple[str, str] | None:
    """(measure, sex) named by a header such as "Students - Female" or "الطلاب - إناث"."""
    measure = _find(header, _MEASURES)
    if measure is None:
        return None
    sex = _find(header, _SEXES) or "total"
    return measure, "total" if measure == "institutions" else sex


@lru_cache(maxsize=1 << 14)
def is_header_word(cell: str) -> bool:
    # fold(cell) in the dimensions' words is map_headers([cell], DIMENSIONS) being non-empty.
    return bool(_find(cell, _MEASURES) or _exact(cell, _SEXES) or fold(cell) in _DIMENSION_WORDS)


def vet_level(text: str) -> str:
    """ISCED 35 -> isced_35; "NQF level 3", "Level 3", "Niveau 3", "المستوى 3" -> nqf_3; else a slug."""
    key = fold(text)
    if key in _TOTAL_WORDS:
        return "total"
    digits = re.findall(r"\d+", key)
    if "isced" in key or "cite" in key.split():
        return f"isced_{''.join(digits)}" if digits else "isced"
    if digits and re.search(r"\b(nqf|level|niveau|المستوي|مستوي|cnq)\b", key):
        return f"nqf_{digits[0]}"
    return key.replace(" ", "_")


def _where(
    table: Table, cols: dict[str, str], ctx: ParseContext, display_name: str
) -> tuple[str | None, int | None]:
    country = (
        None
        if "country" in cols
        else (
            hints.country_in(table.title, ctx.countries)
            or hints.country_from_path(display_name, ctx.countries)
        )
    )
    year = (
        None
        if "year" in cols
        else (hints.year_in([table.sheet or "", *table.title]) or hints.year_from_path(display_name))
    )
    for name, found in (("country", country), ("year", year)):
        if name not in cols and found is None:
            raise FileRejected(
                reasons.MISSING_REQUIRED_COLUMN,
                f"{display_name}: required column '{name}' is missing and neither the sheet, "
                f"title nor file name gives it",
            )
    if year is not None:
        year = rules.hinted_year(year, "sheet, title or file name", display_name, ctx.current_year)
    return country, year


def _constant_or_column(
    table: Table, cols: dict[str, str], ctx: ParseContext, display_name: str
) -> tuple[pl.Series, pl.Series, list[Check]]:
    data, n = table.data, table.data.height
    country, year = _where(table, cols, ctx, display_name)
    checks: list[Check] = []
    if country is None:
        h = cols["country"]
        iso3 = map_unique(data[h], ctx.countries.resolve, pl.Utf8)
        checks.append(
            Check(reasons.UNRESOLVED_COUNTRY, h, iso3.is_null(), "is not an OIC member state name or code")
        )
    else:
        iso3 = pl.Series([country] * n, dtype=pl.Utf8)
    if year is None:
        h = cols["year"]
        value, bad = numeric(data, h)
        checks += rules.year_checks(h, value, bad, ctx.current_year)
        years = value.cast(pl.Int32, strict=False)
    else:
        years = pl.Series([year] * n, dtype=pl.Int32)
    return iso3, years, checks


def _dimension(
    data: pl.DataFrame, header: str | None, fn: Callable[[str], str | None], *, fill_down: bool = False
) -> pl.Series:
    if header is None:
        return pl.Series(["total"] * data.height, dtype=pl.Utf8)
    cells = data[header].forward_fill() if fill_down else data[header]
    return map_unique(cells, fn, pl.Utf8)


def _totals_mask(level: pl.Series, ownership: pl.Series) -> pl.Series:
    """Rows that sum detail rows present in the same sheet."""
    mask = pl.Series([False] * level.len())
    for dim in (level, ownership):
        is_total = (dim == "total").fill_null(False)
        if (~is_total & dim.is_not_null()).any():
            mask = mask | is_total
    return mask


def parse_wide(
    table: Table, ctx: ParseContext, display_name: str
) -> tuple[pl.DataFrame, pl.DataFrame, int, list[str]]:
    """(long rows, rejects, data rows read, notes) for one sheet of the wide layout."""
    cols = map_headers(table.headers, DIMENSIONS)
    measures = {h: m for h in table.headers if h not in cols.values() and (m := measure_column(h))}
    data = table.data
    level = _dimension(data, cols.get("vet_level"), vet_level, fill_down=True)
    owner = _dimension(data, cols.get("ownership"), lambda v: _exact(v, _OWNERSHIP))
    totals = _totals_mask(level, owner)
    where = f"{display_name} (sheet '{table.sheet}')" if table.sheet else display_name
    notes = [f"{where} row {r}: skipped totals row" for r in data.filter(totals)[ROW].to_list()]
    keep = ~totals
    table = Table(table.sheet, table.headers, data.filter(keep), table.title, table.header_row)
    data, level, owner = table.data, level.filter(keep), owner.filter(keep)
    iso3, year, checks = _constant_or_column(table, cols, ctx, display_name)
    if "ownership" in cols:
        h = cols["ownership"]
        checks.append(Check(reasons.INVALID_CHOICE, h, owner.is_null(), "is not public, private or total"))
    parsed: dict[str, pl.Series] = {
        "__iso3": iso3,
        "__year": year,
        "__vet_level": level,
        "__ownership": owner,
    }
    for i, (h, (measure, _)) in enumerate(measures.items()):
        value, bad = numeric(data, h)
        parsed[f"__m{i}"] = value
        # Teachers may be full-time equivalents ("150,5" in francophone files); heads are whole.
        checks += number_checks(h, value, bad, whole=measure != "teachers", count=True)
    frame = pl.concat([data, pl.DataFrame(parsed)], how="horizontal")
    good, rejects = split_rejects(frame, checks, display_name, table.sheet, table.headers)
    dup = rules.duplicate_check(
        cols.get("vet_level", table.headers[0]),
        ["__iso3", "__year", "__vet_level", "__ownership"],
        "repeats the level and ownership of an earlier row",
    )
    good, dups = split_rejects(good, [dup], display_name, table.sheet, table.headers)
    long = [
        good.select(
            pl.col("__iso3").alias("iso3"),
            pl.col("__year").alias("year"),
            pl.col("__vet_level").alias("vet_level"),
            pl.col("__ownership").alias("ownership"),
            pl.lit(sex).alias("sex"),
            pl.lit(measure).alias("measure"),
            pl.col(f"__m{i}").alias("value"),
            ROW,
        )
        for i, (measure, sex) in enumerate(measures.values())
    ]
    rows = (
        pl.concat(long).filter(pl.col("value").is_not_null())
        if long
        else pl.DataFrame(schema={ROW: pl.Int32})
    )
    empty = empty_rows(good.select(ROW), rows)
    notes += empty_rows_note(display_name, table.sheet, empty)
    return rows, pl.concat([rejects, dups]), data.height - len(empty), notes


def parse_long(
    table: Table, ctx: ParseContext, display_name: str
) -> tuple[pl.DataFrame, pl.DataFrame, int, list[str]]:
    cols = map_headers(table.headers, DIMENSIONS)
    data = table.data
    iso3, year, checks = _constant_or_column(table, cols, ctx, display_name)
    sex = (
        map_unique(data[cols["sex"]], lambda v: _exact(v, _SEXES), pl.Utf8)
        if "sex" in cols
        else pl.Series(["total"] * data.height, dtype=pl.Utf8)
    )
    measure = map_unique(data[cols["measure"]], lambda v: _exact(v, _MEASURES), pl.Utf8)
    owner = _dimension(data, cols.get("ownership"), lambda v: _exact(v, _OWNERSHIP))
    value, bad = numeric(data, cols["value"])
    for name, series, problem in (
        ("sex", sex, "is not female, male or total"),
        ("measure", measure, "is not institutions, students or teachers"),
        ("ownership", owner, "is not public, private or total"),
    ):
        if name in cols:
            checks.append(Check(reasons.INVALID_CHOICE, cols[name], series.is_null(), problem))
    checks += number_checks(cols["value"], value, bad, count=True)
    parsed = pl.DataFrame(
        {
            "__iso3": iso3,
            "__year": year,
            "__vet_level": _dimension(data, cols.get("vet_level"), vet_level),
            "__ownership": owner,
            "__sex": sex,
            "__measure": measure,
            "__value": value,
        }
    )
    frame = pl.concat([data, parsed], how="horizontal")
    good, rejects = split_rejects(frame, checks, display_name, table.sheet, table.headers)
    key = ["__iso3", "__year", "__vet_level", "__ownership", "__sex", "__measure"]
    dup = rules.duplicate_check(cols["value"], key, "repeats the key of an earlier row")
    good, dups = split_rejects(good, [dup], display_name, table.sheet, table.headers)
    rows = good.filter(pl.col("__value").is_not_null()).select(
        *[pl.col(k).alias(k[2:]) for k in key], pl.col("__value").alias("value"), ROW
    )
    empty = empty_rows(good.select(ROW), rows)
    return (
        rows,
        pl.concat([rejects, dups]),
        data.height - len(empty),
        empty_rows_note(display_name, table.sheet, empty),
    )


def is_long(table: Table) -> bool:
    cols = map_headers(table.headers, DIMENSIONS)
    return "measure" in cols and "value" in cols

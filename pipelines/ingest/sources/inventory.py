"""Institution inventories (source `inventory`): equipment rows and connectivity rows.

A workbook may hold both kinds as sheets; a CSV holds one. The kind is decided by the columns
(item/quantity -> equipment, connectivity type/download speed -> connectivity). Country and year come
from columns, else from the title rows, else from the path (`AZE_2025_equipment.csv`).

Everything here is vectorised (10 million rows must parse in well under a minute): Python only
touches distinct values (countries, items, yes/no spellings), never rows.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.context import ParseContext
from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.readers.header import Table
from pipelines.ingest.rows import reasons, rules
from pipelines.ingest.rows.checks import number_checks, require_columns
from pipelines.ingest.rows.model import FileRejected, ParsedTable
from pipelines.ingest.rows.rejects import Check, split_rejects
from pipelines.ingest.rows.values import map_unique, not_whole, numeric, to_bool
from pipelines.ingest.schemas import RAW_TABLES
from pipelines.ingest.sources import hints
from pipelines.ingest.vocab.synonyms import lookup, map_headers, synonyms, vocabulary
from pipelines.ingest.vocab.text import fold

# Spellings in EN/FR/AR: vocabularies `inventory.*` of vocab/synonyms.csv. Both kinds of sheet
# share the columns that say where (country, year, institution).
_COMMON = synonyms("inventory.common")
EQUIPMENT = {**_COMMON, **synonyms("inventory.equipment")}
CONNECTIVITY = {**_COMMON, **synonyms("inventory.connectivity")}
HEADER_WORDS = vocabulary(EQUIPMENT) | vocabulary(CONNECTIVITY)

# Spellings of the connectivity types; the canonical is the value of the raw table.
_TYPE_LOOKUP = lookup(synonyms("inventory.connectivity_types"))


def kind_of(table: Table) -> str | None:
    eq = map_headers(table.headers, EQUIPMENT)
    co = map_headers(table.headers, CONNECTIVITY)
    if "item" in eq or "quantity" in eq:
        return "equipment_inventory"
    if "connectivity_type" in co or "download_mbps" in co:
        return "institution_connectivity"
    return None


def _country_year(
    table: Table, cols: dict[str, str], ctx: ParseContext, display_name: str
) -> tuple[pl.Series, pl.Series, list[Check]]:
    """Per-row iso3 and year, from columns or (constant) hints, and the checks that go with them."""
    data, n = table.data, table.data.height
    checks: list[Check] = []
    if "country" in cols:
        h = cols["country"]
        iso3 = map_unique(data[h], ctx.countries.resolve, pl.Utf8)
        checks += [
            Check(reasons.MISSING_REQUIRED, h, data[h].is_null(), "country is empty", show_value=False),
            Check(reasons.UNRESOLVED_COUNTRY, h, iso3.is_null(), "is not an OIC member state name or code"),
        ]
    else:
        found = hints.country_in(table.title, ctx.countries) or hints.country_from_path(
            display_name, ctx.countries
        )
        if found is None:
            raise FileRejected(
                reasons.MISSING_REQUIRED_COLUMN,
                f"{display_name}: required column 'country' is missing and "
                "the title and file name name no country",
            )
        iso3 = pl.Series([found] * n, dtype=pl.Utf8)
    if "year" in cols:
        h = cols["year"]
        value, invalid = numeric(data, h)
        checks += rules.year_checks(h, value, invalid, ctx.current_year)
        year = value.cast(pl.Int32, strict=False)
    else:
        found_year = hints.year_in([table.sheet or "", *table.title]) or hints.year_from_path(display_name)
        if found_year is None:
            raise FileRejected(
                reasons.MISSING_REQUIRED_COLUMN,
                f"{display_name}: required column 'year' is missing and the title and file name give no year",
            )
        found_year = rules.hinted_year(found_year, "title or file name", display_name, ctx.current_year)
        year = pl.Series([found_year] * n, dtype=pl.Int32)
    return iso3, year, checks


def _text(data: pl.DataFrame, header: str | None) -> pl.Series:
    return data[header] if header else pl.Series([None] * data.height, dtype=pl.Utf8)


_POLARS = {"INTEGER": pl.Int32, "BIGINT": pl.Int64, "DOUBLE": pl.Float64, "BOOLEAN": pl.Boolean}


def _finish(
    table_name: str,
    table: Table,
    parsed: pl.DataFrame,
    checks: list[Check],
    display_name: str,
) -> ParsedTable:
    frame = pl.concat([table.data, parsed], how="horizontal")
    good, rejects = split_rejects(frame, checks, display_name, table.sheet, table.headers)
    spec = RAW_TABLES[table_name]
    key = [f"__{k}" for k in spec.natural_key]
    duplicate = rules.duplicate_check(
        table.headers[0], key, f"repeats the key ({', '.join(spec.natural_key)}) of an earlier row"
    )
    good, dup_rejects = split_rejects(good, [duplicate], display_name, table.sheet, table.headers)
    rows = good.select(
        *[
            pl.col(f"__{c}").cast(pl.Utf8 if t == "VARCHAR" else _POLARS[t]).alias(c)
            for c, t in spec.columns.items()
        ],
        pl.lit(table.sheet, dtype=pl.Utf8).alias("_sheet"),
        pl.col(ROW).cast(pl.Int32),
    )
    return ParsedTable(table_name, rows, pl.concat([rejects, dup_rejects]))


def parse_equipment(table: Table, ctx: ParseContext, display_name: str) -> ParsedTable:
    cols = map_headers(table.headers, EQUIPMENT)
    require_columns(cols, ("institution_id", "item", "quantity"), display_name, table.sheet)
    data = table.data
    iso3, year, checks = _country_year(table, cols, ctx, display_name)
    item = map_unique(data[cols["item"]], lambda v: (ctx.equipment.resolve(v) or (None,))[0], pl.Utf8)
    category = map_unique(
        data[cols["item"]], lambda v: (ctx.equipment.resolve(v) or (None, None))[1], pl.Utf8
    )
    qty, qty_bad = numeric(data, cols["quantity"])
    working, working_bad = numeric(data, cols.get("in_working_order"))
    acquired, acquired_bad = numeric(data, cols.get("year_acquired"))
    inst, item_h, qty_h = cols["institution_id"], cols["item"], cols["quantity"]
    checks += [
        Check(
            reasons.MISSING_REQUIRED, inst, data[inst].is_null(), "institution id is empty", show_value=False
        ),
        Check(reasons.MISSING_REQUIRED, item_h, data[item_h].is_null(), "item is empty", show_value=False),
        Check(reasons.MISSING_REQUIRED, qty_h, data[qty_h].is_null(), "quantity is empty", show_value=False),
        Check(
            reasons.UNKNOWN_ITEM,
            item_h,
            item.is_null() & data[item_h].is_not_null(),
            "is not an item code or name of the equipment taxonomy",
        ),
        *number_checks(qty_h, qty, qty_bad, whole=True, count=True),
    ]
    if "in_working_order" in cols:
        h = cols["in_working_order"]
        checks += number_checks(h, working, working_bad, whole=True, count=True)
        checks.append(
            Check(
                reasons.INCONSISTENT_VALUES, h, (working > qty).fill_null(False), "is more than the quantity"
            )
        )
    if "year_acquired" in cols:
        h = cols["year_acquired"]
        late = (acquired > year.cast(pl.Float64)) | (acquired < 1950)
        checks += [
            Check(reasons.INVALID_DATE, h, acquired_bad | not_whole(acquired), "is not a year"),
            Check(
                reasons.OUT_OF_RANGE, h, late.fill_null(False), "is before 1950 or after the inventory year"
            ),
        ]
    parsed = pl.DataFrame(
        {
            "__iso3": iso3,
            "__year": year,
            "__institution_id": data[inst],
            "__institution_name": _text(data, cols.get("institution_name")),
            "__item_code": item,
            "__category": category,
            "__quantity": qty,
            "__in_working_order": working,
            "__year_acquired": acquired,
            "__funding_source": _text(data, cols.get("funding_source")),
        }
    )
    return _finish("equipment_inventory", table, parsed, checks, display_name)


def parse_connectivity(table: Table, ctx: ParseContext, display_name: str) -> ParsedTable:
    cols = map_headers(table.headers, CONNECTIVITY)
    require_columns(cols, ("institution_id",), display_name, table.sheet)
    data = table.data
    iso3, year, checks = _country_year(table, cols, ctx, display_name)
    inst = cols["institution_id"]
    checks.append(
        Check(
            reasons.MISSING_REQUIRED, inst, data[inst].is_null(), "institution id is empty", show_value=False
        )
    )
    parsed: dict[str, pl.Series] = {
        "__iso3": iso3,
        "__year": year,
        "__institution_id": data[inst],
        "__institution_name": _text(data, cols.get("institution_name")),
    }
    for name in ("opened_year", "download_mbps", "students"):
        value, bad = numeric(data, cols.get(name))
        parsed[f"__{name}"] = value
        if name in cols:
            h = cols[name]
            checks += number_checks(h, value, bad, whole=name != "download_mbps")
            high = year.cast(pl.Float64) if name == "opened_year" else 1e7 if name == "students" else 1e5
            low = 1800 if name == "opened_year" else 0
            checks.append(
                Check(
                    reasons.OUT_OF_RANGE,
                    h,
                    (value < low) | (value > high),
                    f"is outside {low}-{'the inventory year' if name == 'opened_year' else int(high)}",
                )
            )
    if "connectivity_type" in cols:
        h = cols["connectivity_type"]
        kind = map_unique(data[h], lambda v: _TYPE_LOOKUP.get(fold(v)), pl.Utf8)
        checks.append(
            Check(
                reasons.INVALID_CHOICE,
                h,
                kind.is_null() & data[h].is_not_null(),
                "is not a connectivity type (fibre, dsl, mobile, satellite, none)",
            )
        )
        parsed["__connectivity_type"] = kind
    else:
        parsed["__connectivity_type"] = pl.Series([None] * data.height, dtype=pl.Utf8)
    for name in ("has_electricity", "has_computer_lab"):
        if name in cols:
            h = cols[name]
            flag = map_unique(data[h], to_bool, pl.Boolean)
            checks.append(
                Check(
                    reasons.INVALID_CHOICE,
                    h,
                    flag.is_null() & data[h].is_not_null(),
                    "is not yes/no (oui/non, نعم/لا, 1/0)",
                )
            )
            parsed[f"__{name}"] = flag
        else:
            parsed[f"__{name}"] = pl.Series([None] * data.height, dtype=pl.Boolean)
    return _finish("institution_connectivity", table, pl.DataFrame(parsed), checks, display_name)

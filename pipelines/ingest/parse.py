"""Entry point the loader calls: one file in, `ParsedFile` out (or `FileRejected`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from pipelines.ingest.context import ParseContext
from pipelines.ingest.privacy import pii
from pipelines.ingest.readers.header import Table, locate_header
from pipelines.ingest.readers.ragged import split_ragged
from pipelines.ingest.readers.read import ReadResult, read_grids
from pipelines.ingest.rows import reasons
from pipelines.ingest.rows.model import FileRejected, ParsedFile, ParsedTable, empty_rejects
from pipelines.ingest.rows.notes import split_note_rows
from pipelines.ingest.sources import institutions, inventory, official
from pipelines.ingest.sources.survey import parse_survey
from pipelines.ingest.vocab.text import fold


def _tables(
    read: ReadResult, is_word: Callable[[str], bool], display_name: str, notes: list[str]
) -> list[Table]:
    tables = []
    for grid in read.grids:
        table = locate_header(grid, is_word)
        if table is None:
            notes.append(f"{display_name}: sheet '{grid.sheet}' skipped, no header found")
        else:
            tables.append(table)
    if not tables:
        raise FileRejected(
            reasons.NO_HEADER_FOUND,
            f"{display_name}: no header row found in the first 30 rows (expected columns of a "
            f"{'workbook sheet' if read.grids and read.grids[0].sheet else 'table'} for this source)",
        )
    return tables


def _merge(name: str, parts: list[ParsedTable]) -> ParsedTable:
    rows = [p.rows for p in parts if p.rows.height]
    rejects = [p.rejects for p in parts if p.rejects.height]
    empty = next((p.rows for p in parts), pl.DataFrame())
    return ParsedTable(
        name, pl.concat(rows) if rows else empty.clear(), pl.concat(rejects) if rejects else empty_rejects()
    )


def _survey(read: ReadResult, ctx: ParseContext, display_name: str) -> ParsedFile:
    notes: list[str] = []
    # A national form's header row has its own names: the memo asks the form mappings too.
    tables = _tables(read, ctx.is_survey_header_word, display_name, notes)
    parsed, rows_read, kind, unknown, survey_notes = parse_survey(tables, ctx, display_name)
    return ParsedFile(
        f"{kind}-{read.format}", read.encoding, parsed, rows_read, unknown, notes + survey_notes
    )


def _inventory(read: ReadResult, ctx: ParseContext, display_name: str) -> ParsedFile:
    notes: list[str] = []
    tables = _tables(read, lambda c: fold(c) in inventory.HEADER_WORDS, display_name, notes)
    parts: dict[str, list[ParsedTable]] = {"equipment_inventory": [], "institution_connectivity": []}
    rows_read = 0
    for table in tables:
        table, ragged = split_ragged(table, display_name)
        kind = inventory.kind_of(table)
        if kind is None:
            notes.append(
                f"{display_name}: sheet '{table.sheet}' skipped, neither equipment nor connectivity columns"
            )
            continue
        parser = inventory.parse_equipment if kind == "equipment_inventory" else inventory.parse_connectivity
        parsed = parser(table, ctx, display_name)
        parts[kind].append(ParsedTable(kind, parsed.rows, pl.concat([parsed.rejects, ragged])))
        rows_read += table.data.height + ragged.height
    if not any(parts.values()):
        raise FileRejected(
            reasons.UNKNOWN_LAYOUT,
            f"{display_name}: no equipment (item, quantity) or connectivity "
            "(connectivity type, download speed) columns found",
        )
    return ParsedFile(
        read.format, read.encoding, [_merge(k, v) for k, v in parts.items() if v], rows_read, notes=notes
    )


def _institutions(read: ReadResult, ctx: ParseContext, display_name: str) -> ParsedFile:
    notes: list[str] = []
    tables = _tables(read, institutions.is_header_word, display_name, notes)
    rows, rejects, rows_read = [], [], 0
    for table in tables:
        table, ragged = split_ragged(table, display_name)
        table, skipped = split_note_rows(table, display_name)
        notes += skipped
        parser = institutions.parse_long if institutions.is_long(table) else institutions.parse_wide
        got, bad, read_n, sheet_notes = parser(table, ctx, display_name)
        notes += sheet_notes
        rows_read += read_n + ragged.height
        if got.height:
            rows.append(got.with_columns(pl.lit(table.sheet, dtype=pl.Utf8).alias("_sheet")))
        rejects += [bad, ragged]
    schema = {
        "iso3": pl.Utf8,
        "year": pl.Int32,
        "vet_level": pl.Utf8,
        "ownership": pl.Utf8,
        "sex": pl.Utf8,
        "measure": pl.Utf8,
        "value": pl.Float64,
        "_sheet": pl.Utf8,
        "_row_number": pl.Int32,
    }
    frame = (
        pl.concat(rows).select([pl.col(c).cast(t) for c, t in schema.items()])
        if rows
        else pl.DataFrame(schema=schema)
    )
    return ParsedFile(
        read.format,
        read.encoding,
        [ParsedTable("institution_counts", frame, pl.concat(rejects))],
        rows_read,
        notes=notes,
    )


def _official(read: ReadResult, ctx: ParseContext, display_name: str) -> ParsedFile:
    notes: list[str] = []
    tables = _tables(read, official.is_header_word, display_name, notes)
    parts, rows_read, fmt = [], 0, read.format
    for table in tables:
        table, ragged = split_ragged(table, display_name)
        table, skipped = split_note_rows(table, display_name)
        notes += skipped
        is_wb = official.is_world_bank(table.headers)
        fmt = f"worldbank-wide-{read.format}" if is_wb else fmt
        parsed, n, empty = official.parse_official(table, ctx, display_name, "World Bank" if is_wb else None)
        notes += empty
        parts += [parsed, ParsedTable(parsed.table, parsed.rows.clear(), ragged)]
        rows_read += n + ragged.height
    return ParsedFile(fmt, read.encoding, [_merge("official_series", parts)], rows_read, notes=notes)


_PARSERS = {"survey": _survey, "institutions": _institutions, "inventory": _inventory, "official": _official}


def parse_file(path: Path, source: str, ctx: ParseContext, display_name: str) -> ParsedFile:
    """Parse one raw file of `source` (survey | institutions | inventory | official).

    `display_name` (the path relative to the raw root) names the file in every message.
    """
    if source not in _PARSERS:
        raise ValueError(f"unknown source {source!r}; expected one of {sorted(_PARSERS)}")
    # Personal data leaves here redacted: nothing a parser produced reaches the loader in clear.
    read: ReadResult | None = None
    try:
        read = read_grids(path, display_name, ctx.limits)
        return pii.redact_parsed(_PARSERS[source](read, ctx, display_name))
    except FileRejected as exc:
        # audit.loads records what a rejected file was recognised as (format, encoding).
        found = exc.recognised(*((read.format, read.encoding) if read else (None, None)))
        redacted = pii.redact_rejection(found)  # rebuilt from the message: the format is put back
        raise redacted.recognised(found.detected_format, found.detected_encoding) from None

"""Read Excel 2003 XML ("SpreadsheetML", often saved as .xls by reporting tools) with the stdlib.

Rows and cells may skip positions with `ss:Index` (1-based); `ss:MergeAcross` spans columns and, as in
a merged header, only the first cell holds the text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import polars as pl

from pipelines.ingest.readers.grid import Grid, column_names, from_frame

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


class UnsafeXml(Exception):
    """DOCTYPE/ENTITY declarations: refused, they enable entity-expansion attacks."""


def _cell_text(cell: ET.Element) -> str | None:
    data = cell.find(f"{_SS}Data")
    if data is None:
        return None
    return "".join(data.itertext())


def _sheet_rows(table: ET.Element) -> list[tuple[int, list[str | None]]]:
    rows: list[tuple[int, list[str | None]]] = []
    row_no = 0
    for row in table.findall(f"{_SS}Row"):
        row_no = int(row.get(f"{_SS}Index", row_no + 1))
        cells: list[str | None] = []
        for cell in row.findall(f"{_SS}Cell"):
            index = int(cell.get(f"{_SS}Index", len(cells) + 1))
            cells.extend([None] * (index - 1 - len(cells)))
            cells.append(_cell_text(cell))
            cells.extend([None] * int(cell.get(f"{_SS}MergeAcross", 0)))
        rows.append((row_no, cells))
    return rows


def read_spreadsheetml(text: str) -> list[Grid]:
    head = text[:4096].upper()
    if "<!DOCTYPE" in head or "<!ENTITY" in text.upper():
        raise UnsafeXml("XML with DOCTYPE/ENTITY declarations")
    root = ET.fromstring(text)
    grids = []
    for sheet in root.iter(f"{_SS}Worksheet"):
        table = sheet.find(f"{_SS}Table")
        rows = _sheet_rows(table) if table is not None else []
        if not rows:
            continue
        width = max(len(cells) for _, cells in rows)
        names = column_names(width)
        frame = pl.DataFrame(
            [cells + [None] * (width - len(cells)) for _, cells in rows], schema=names, orient="row"
        )
        numbers = pl.Series([n for n, _ in rows], dtype=pl.Int32)
        grids.append(from_frame(sheet.get(f"{_SS}Name"), frame, numbers))
    return grids

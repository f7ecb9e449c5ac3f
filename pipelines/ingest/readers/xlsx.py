"""Read every sheet of an XLSX workbook into Grids (calamine via fastexcel, all cells as strings).

Calamine returns a sheet's used range, which starts at the first non-empty row: the offset that
turns a frame index back into the spreadsheet row number a person sees is read from the sheet XML.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

import fastexcel
import polars as pl

from pipelines.ingest.readers.grid import Grid, from_frame

_SHEET = re.compile(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_REL = re.compile(
    r'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"|'
    r'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"',
    re.S,
)
_ROW = re.compile(r'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?row>)', re.S)
_VALUE = re.compile(r"<(?:\w+:)?(?:v|is)>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}


def _unescape(text: str) -> str:
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="replace")
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        targets[rid] = target
    paths = {}
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        paths[_unescape(name)] = path
    return paths


def first_value_rows(path: Path) -> dict[str, int]:
    """Sheet name -> number of the first row holding a value (1 when unknown)."""
    out: dict[str, int] = {}
    with zipfile.ZipFile(path) as archive:
        for name, member in _sheet_paths(archive).items():
            try:
                with archive.open(member) as fh:
                    xml = fh.read(4 << 20).decode("utf-8", errors="replace")
            except KeyError:
                continue
            for m in _ROW.finditer(xml):
                if m.group(2) and _VALUE.search(m.group(2)):
                    out[name] = int(m.group(1))
                    break
    return out


def read_xlsx(path: Path) -> list[Grid]:
    reader = fastexcel.read_excel(path)
    offsets = first_value_rows(path)
    grids = []
    for name in reader.sheet_names:
        sheet = reader.load_sheet(name, header_row=None, dtypes="string")
        frame = sheet.to_polars()
        if frame.height == 0 or frame.width == 0:
            continue
        start = offsets.get(name, 1)
        grids.append(from_frame(name, frame, pl.int_range(start, start + frame.height, eager=True)))
    return grids

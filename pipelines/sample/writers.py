"""Byte-reproducible writers for the two container formats senders use: delimited text and XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import xlsxwriter

# Workbook metadata would otherwise carry the wall-clock time and break byte-identical output.
FIXED_CREATED = datetime(2025, 10, 15, 9, 0, 0)

Cell = str | int | float | None


@dataclass(frozen=True)
class TextStyle:
    """How a sender's software writes text files."""

    encoding: str = "utf-8"  # utf-8 | utf-8-sig | cp1256 | utf-16 (LE with BOM)
    delimiter: str = ","
    decimal: str = "."
    newline: str = "\n"
    quote_all: bool = False

    @property
    def suffix(self) -> str:
        return ".txt" if self.encoding == "utf-16" else ".csv"  # Excel saves "Unicode text" as .txt


UTF8 = TextStyle()
UTF8_BOM = TextStyle(encoding="utf-8-sig", newline="\r\n")
FRENCH = TextStyle(delimiter=";", decimal=",", newline="\r\n")
ARABIC_WINDOWS = TextStyle(encoding="cp1256", newline="\r\n")
EXCEL_UNICODE_TEXT = TextStyle(encoding="utf-16", delimiter="\t", newline="\r\n")


def format_number(value: float, decimal: str = ".") -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", decimal)


def _text(cell: Cell, decimal: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, (int, float)):
        return format_number(cell, decimal)
    return cell


def write_text(path: Path, rows: list[list[Cell]], style: TextStyle, footer: tuple[str, ...] = ()) -> None:
    """Write rows, then `footer` lines verbatim (the notes some exports append below the table)."""
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if style.quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator=style.newline, quoting=quoting)
    writer.writerows([[_text(c, style.decimal) for c in row] for row in rows])
    text = buffer.getvalue() + "".join(line + style.newline for line in footer)
    if style.encoding == "utf-16":
        data = b"\xff\xfe" + text.encode("utf-16-le")  # what Excel's "Unicode text" writes
    else:
        data = text.encode(style.encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    # (first_row, first_col, last_row, last_col) zero-based, the value is the top-left cell's.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    workbook.set_properties({"created": FIXED_CREATED, "author": "vetdx sample generator"})
    for sheet in sheets:
        ws = workbook.add_worksheet(sheet.name)
        for r, row in enumerate(sheet.rows):
            ws.write_row(r, 0, row)  # None cells stay empty; strings stay text (strings_to_numbers off)
        for first_row, first_col, last_row, last_col in sheet.merges:
            ws.merge_range(first_row, first_col, last_row, last_col, sheet.rows[first_row][first_col])
    workbook.close()

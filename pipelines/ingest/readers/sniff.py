"""Tell what a file really is from its first bytes, never from its extension.

Countries rename files freely: a CSV saved as `.xls`, an HTML table "exported to Excel", a PDF of a
table. Each kind gets a name the audit log shows (`detected_format`) and, when unusable, a message that
says what the file actually is.
"""

from __future__ import annotations

import io
import zipfile

XLSX = "xlsx"
SPREADSHEETML = "spreadsheetml-2003"
TEXT = "text"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Unsupported(Exception):
    """The bytes are a known non-table format; the message names it for the person who sent it,
    `kind` for audit.loads.detected_format ("pdf", "html", "xls-biff" ...)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _head_text(data: bytes) -> str:
    # Enough to recognise markup: UTF-16 files must be decoded before looking for "<html".
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1:200:2].count(0) > 50:
        return head.decode("utf-16", errors="ignore").lower()
    if head[:200:2].count(0) > 50:
        return head.decode("utf-16-be", errors="ignore").lower()
    return head.decode("latin-1").lower()


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise Unsupported("damaged ZIP/XLSX archive", "zip") from exc
    if "xl/workbook.xml" in names:
        return XLSX
    if "content.xml" in names:
        raise Unsupported("OpenDocument file (.ods): save it as .xlsx or .csv", "ods")
    if "word/document.xml" in names:
        raise Unsupported("Word document (.docx)", "docx")
    raise Unsupported("ZIP archive that is not an Excel workbook", "zip")


def detect_format(data: bytes) -> str:
    """`xlsx`, `spreadsheetml-2003` or `text`; raises Unsupported for everything else."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise Unsupported("empty file", "empty")
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE2):
        raise Unsupported(
            "legacy binary .xls (BIFF/OLE2) or password-protected workbook: save it as .xlsx", "xls-biff"
        )
    if data.lstrip().startswith(b"%PDF"):
        raise Unsupported("PDF document", "pdf")
    head = _head_text(data).lstrip("\ufeff \t\r\n")
    if "urn:schemas-microsoft-com:office:spreadsheet" in head and "<workbook" in head:
        return SPREADSHEETML
    if head.startswith(("<!doctype html", "<html", "<table", "<meta", "<head")) or "<html" in head[:1024]:
        raise Unsupported("HTML page saved as a spreadsheet (open it in Excel and save as .xlsx)", "html")
    if head.startswith("<?xml") or head.startswith("<"):
        raise Unsupported("XML document that is not an Excel 2003 spreadsheet", "xml")
    if head.startswith(("{", "[")) and data.rstrip().endswith((b"}", b"]")):
        raise Unsupported("JSON document", "json")
    return TEXT

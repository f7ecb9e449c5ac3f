"""Bytes on disk -> Grids, choosing the reader from the content (see sniff.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.readers import sniff
from pipelines.ingest.readers.encoding import UndecodableText, decode
from pipelines.ingest.readers.grid import Grid
from pipelines.ingest.readers.limits import Limits, check_file_size, check_text, check_xlsx
from pipelines.ingest.readers.spreadsheetml import UnsafeXml, read_spreadsheetml
from pipelines.ingest.readers.textgrid import read_text
from pipelines.ingest.readers.xlsx import read_xlsx
from pipelines.ingest.rows import reasons
from pipelines.ingest.rows.model import FileRejected

_DELIMITER_NAMES = {",": "csv", ";": "csv-semicolon", "\t": "tsv", "|": "csv-pipe"}


@dataclass(frozen=True)
class ReadResult:
    format: str  # csv | csv-semicolon | tsv | csv-pipe | xlsx | spreadsheetml-2003
    encoding: str | None  # text encoding, None for workbooks
    grids: list[Grid]


def read_grids(path: Path, display_name: str, limits: Limits | None = None) -> ReadResult:
    limits = limits or Limits()
    check_file_size(path, display_name, limits)
    data = path.read_bytes()
    try:
        kind = sniff.detect_format(data)
    except sniff.Unsupported as exc:
        raise FileRejected(
            reasons.UNSUPPORTED_FORMAT, f"{display_name}: unsupported file: {exc}", detected_format=exc.kind
        ) from exc
    if kind == sniff.XLSX:
        check_xlsx(path, display_name, limits)
        try:
            return ReadResult(sniff.XLSX, None, read_xlsx(path))
        except Exception as exc:  # calamine raises its own types for damaged workbooks
            raise FileRejected(
                reasons.UNSUPPORTED_FORMAT, f"{display_name}: unreadable XLSX: {exc}", detected_format=kind
            ) from exc
    check_text(data, display_name, limits, kind)  # on the bytes, before decoding copies them
    try:
        decoded = decode(data)
    except (UndecodableText, UnicodeDecodeError) as exc:
        raise FileRejected(reasons.UNDECODABLE_TEXT, f"{display_name}: {exc}", detected_format=kind) from exc
    if kind == sniff.SPREADSHEETML:
        try:
            grids = read_spreadsheetml(decoded.text)
        except (ET.ParseError, UnsafeXml) as exc:
            raise FileRejected(
                reasons.UNSUPPORTED_FORMAT,
                f"{display_name}: unreadable Excel 2003 XML: {exc}",
                detected_format=kind,
                detected_encoding=decoded.encoding,
            ) from exc
        return ReadResult(sniff.SPREADSHEETML, decoded.encoding, grids)
    # UTF-8 without BOM goes to Polars as the original bytes: no 2x copy on multi-GB inventories.
    grid, delimiter = read_text(data if decoded.encoding == "utf-8" else decoded.text)
    return ReadResult(_DELIMITER_NAMES[delimiter], decoded.encoding, [grid])

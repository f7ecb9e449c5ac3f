"""What a parser hands to the loader: pure data, no database.

A parser turns one file into `ParsedFile`: for each target raw table, the accepted rows (business
columns of `schemas.RAW_TABLES[table]` plus `_sheet` and `_row_number`) and the rejected rows (see
`REJECT_COLUMNS`). A file that cannot be used at all raises `FileRejected`; the loader records it in
`audit.loads` and leaves every other file and table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# Columns of a parser's reject frame; the loader adds lineage and writes quarantine.<table>.
REJECT_COLUMNS: dict[str, pl.DataType] = {
    "_sheet": pl.Utf8(),
    "_row_number": pl.Int32(),
    "reason_code": pl.Utf8(),
    "column_name": pl.Utf8(),
    "message": pl.Utf8(),
    "original": pl.Utf8(),  # JSON text {header: raw cell text}
}


class FileRejected(Exception):
    """The whole file is unusable. `reason_code` is machine-readable; the message names the file."""

    def __init__(
        self,
        reason_code: str,
        message: str,
        rows_read: int = 0,
        detected_format: str | None = None,
        detected_encoding: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message
        self.rows_read = rows_read
        # What the file was recognised as before it was refused ("pdf", "csv" in cp1252 ...):
        # audit.loads shows it for rejected files too.
        self.detected_format = detected_format
        self.detected_encoding = detected_encoding

    def recognised(self, detected_format: str | None, detected_encoding: str | None) -> FileRejected:
        """The same rejection, with what the file was recognised as (kept when already known)."""
        return FileRejected(
            self.reason_code,
            self.message,
            self.rows_read,
            self.detected_format or detected_format,
            self.detected_encoding or detected_encoding,
        )

    def __reduce__(self) -> tuple:
        # Rebuilt from every field when it crosses from a parse worker to the loader.
        return (
            FileRejected,
            (self.reason_code, self.message, self.rows_read, self.detected_format, self.detected_encoding),
        )


@dataclass
class ParsedTable:
    table: str  # name in schema raw
    rows: pl.DataFrame  # business columns + _sheet + _row_number
    rejects: pl.DataFrame  # REJECT_COLUMNS


@dataclass
class ParsedFile:
    detected_format: str
    detected_encoding: str | None
    tables: list[ParsedTable]
    rows_read: int  # data rows seen in the file, excluding headers, title, blank and totals rows
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # skipped totals rows, footers, etc.


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_COLUMNS)

"""Size limits checked before a file is read whole: a crafted file is refused by name, in seconds.

Two small XLSX files drove a refresh past 8.4 GB and 9 minutes (issue 12): 0.4 MB holding one
400 MB shared string, and 3.4 MB claiming 1,048,576 rows. Both are told apart from the ZIP
directory and one streaming pass over the sheet XML, in bounded memory (1 MiB chunks), before
calamine allocates anything. A text file is checked on its bytes (already in memory: the file
size limit bounds them).

Defaults fit every legitimate file seen (the 10M-row inventory benchmark is 10 CSVs of ~1M rows;
Excel itself caps a cell at 32,767 characters); each can be changed with an environment variable
`VETDX_MAX_<NAME>`, read at the edge into `Settings.ingest_limits` (docs/official-files.md).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from pipelines.ingest.rows import reasons
from pipelines.ingest.rows.model import FileRejected

_CHUNK = 1 << 20
# A cell ref's letters, whatever the attribute order ("<c r=" or "<c s="1" r="): row refs are digits.
_CELL_REF = re.compile(rb' r="([A-Z]{1,3})\d')
_ROW_REF = re.compile(rb'row\b[^>]*?\br="(\d+)"')


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 4096  # bytes on disk
    max_uncompressed_mb: int = 2048  # XLSX: all ZIP members once inflated
    max_cell_chars: int = 32_767  # Excel's own cap for one cell
    # XLSX: rows x columns of a sheet's used range. Calamine holds every cell, then Polars a string
    # per cell: ~1 GB at 12M cells; the largest real inventory workbook is 575k rows x 10 columns.
    max_cells: int = 12_000_000
    max_rows: int = 20_000_000  # rows of one sheet or text file
    max_line_kb: int = 1024  # text: one line (a World Bank API line is ~1.5 KB)

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, int]) -> Limits:
        """Defaults, each overridable by name (the `ingest_limits` setting, from VETDX_MAX_<NAME>)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(
                f"unknown ingest limit(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls(**overrides)


def _too_large(display_name: str, what: str) -> FileRejected:
    return FileRejected(reasons.TOO_LARGE, f"{display_name}: {what}; the file was not read")


def check_file_size(path: Path, display_name: str, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb << 20:
        raise _too_large(display_name, f"{size >> 20} MB is over the {limits.max_file_mb} MB limit")


def check_text(data: bytes, display_name: str, limits: Limits, detected_format: str) -> None:
    """Line count and longest line of a text file, on its bytes (C-speed scans, no copies)."""
    lines = data.count(b"\n")
    if lines > limits.max_rows:
        raise _too_large(
            display_name, f"{lines:,} lines is over the {limits.max_rows:,}-row limit"
        ).recognised(detected_format, None)
    if has_run_longer_than(data, b"\n", limits.max_line_kb << 10):
        raise _too_large(
            display_name,
            f"a line is longer than {limits.max_line_kb} KB (a cell or a file without line breaks?)",
        ).recognised(detected_format, None)


def has_run_longer_than(data: bytes, separator: bytes, limit: int, chunk_bytes: int = 64 << 20) -> bool:
    """True when a run of bytes without the one-byte `separator` is longer than `limit`.

    NumPy finds the separators of each 64 MiB chunk without a Python object per line: on a 48 MiB,
    575k-line inventory ~0.05 s instead of ~0.2 s for `bytes.split` (which made 575k bytes objects)."""
    mark = separator[0]
    run = 0  # bytes since the last separator, carried across chunks
    for start in range(0, len(data), chunk_bytes):
        chunk = np.frombuffer(data, dtype=np.uint8, count=min(chunk_bytes, len(data) - start), offset=start)
        found = np.flatnonzero(chunk == mark)
        if found.size == 0:
            run += chunk.size
            if run > limit:
                return True
            continue
        # Runs: before the first separator (continuing the carried one), between two, after the last.
        if run + int(found[0]) > limit or (found.size > 1 and int(np.diff(found).max()) - 1 > limit):
            return True
        run = chunk.size - int(found[-1]) - 1
        if run > limit:
            return True
    return False


def check_xlsx(path: Path, display_name: str, limits: Limits) -> None:
    """ZIP directory first (inflated sizes), then each sheet and the shared strings streamed."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        inflated = sum(m.file_size for m in members)
        if inflated > limits.max_uncompressed_mb << 20:
            raise _too_large(
                display_name,
                f"it inflates to {inflated >> 20} MB, over the {limits.max_uncompressed_mb} MB limit",
            ).recognised("xlsx", None)
        for member in members:
            name = member.filename
            if name == "xl/sharedStrings.xml" or (
                name.startswith("xl/worksheets/") and name.endswith(".xml")
            ):
                _scan_xml(archive, name, display_name, limits)


def _scan_xml(archive: zipfile.ZipFile, name: str, display_name: str, limits: Limits) -> None:
    """Longest text between two tags (a cell's text holds no '<': it is escaped as &lt;), last row
    and widest column, streamed in 1 MiB chunks (a 420 MB sheet of 16.8M cells takes ~4 s)."""
    longest_bytes = limits.max_cell_chars * 4  # UTF-8: up to 4 bytes a character
    carry, max_row, rows, max_col, tail = 0, 0, 0, 0, b""
    sheet = name.startswith("xl/worksheets/")
    with archive.open(name) as handle:
        while chunk := handle.read(_CHUNK):
            longest, carry = _longest_text(chunk, carry)
            if longest > longest_bytes:
                raise _too_large(
                    display_name, f"a cell of {name} holds more than {limits.max_cell_chars:,} characters"
                ).recognised("xlsx", None)
            if not sheet:
                continue
            # Refs may straddle chunks: the previous chunk's last 64 bytes are scanned again.
            window = tail + chunk
            rows += chunk.count(b"<row") + chunk.count(b":row ")  # rows may omit their r="" number
            last = _ROW_REF.search(window, max(window.rfind(b"<row"), window.rfind(b":row"), 0))
            max_row = max(max_row, rows, int(last.group(1)) if last else 0)
            max_col = max([max_col, *map(_column_number, set(_CELL_REF.findall(window)))])
            tail = chunk[-64:]
            if max_row > limits.max_rows or max_row * max(max_col, 1) > limits.max_cells:
                raise _too_large(
                    display_name,
                    f"{name} spans {max_row:,} rows x {max_col:,} columns or more, over the limits of "
                    f"{limits.max_rows:,} rows and {limits.max_cells:,} cells",
                ).recognised("xlsx", None)


def _longest_text(chunk: bytes, carry: int) -> tuple[int, int]:
    """(longest run of bytes without '<' ending in this chunk, the run still open at its end)."""
    tags = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == ord("<"))
    if tags.size == 0:
        return carry + len(chunk), carry + len(chunk)
    inner = int(np.diff(tags).max()) - 1 if tags.size > 1 else 0
    return max(carry + int(tags[0]), inner), len(chunk) - int(tags[-1]) - 1


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n

"""Crafted files are refused by name, quickly and in bounded memory (issue 12, point 5).

The bombs are those of the issue: an XLSX whose one shared string inflates to 400 MB, an XLSX of
1,048,576 rows, a text file without line breaks and one of 25M empty lines. Each is parsed in a
fresh process whose peak memory (VmHWM) and wall time are measured: the limits are the
defaults of pipelines/ingest/readers/limits.py, the bounds asserted are 20 s and 600 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from pipelines.ingest.readers.limits import Limits
from pipelines.ingest.rows import reasons as r
from pipelines.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 20
MAX_RSS_MB = 600

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
SHEET_HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def _workbook(path: Path, sheet_rows, shared: tuple[str, int] | None = None) -> None:
    """A minimal XLSX written as a stream: `sheet_rows` yields row XML, `shared` is (text, repeats)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.encode())
            for row in sheet_rows:
                sheet.write(row)
            sheet.write(SHEET_TAIL.encode())
        if shared:
            text, repeats = shared
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
                strings.write(
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
                )
                block = text.encode() * (1 << 20)
                for _ in range(repeats):
                    strings.write(block)
                strings.write(b"</t></si></sst>")


def _one_huge_string(path: Path) -> None:
    _workbook(path, [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], shared=("x", 400))


def _million_rows(path: Path) -> None:
    cells = "".join(f'<c r="{c}{{n}}"><v>1</v></c>' for c in "ABCDEFGHIJKLMNOP")
    template = f'<row r="{{n}}">{cells}</row>'

    def rows():
        for start in range(1, 1_048_577, 4096):
            yield "".join(template.format(n=n) for n in range(start, start + 4096)).encode()

    _workbook(path, rows())


def _no_line_breaks(path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(b"country,year,indicator,value,")
        for _ in range(200):
            fh.write(b"x" * (1 << 20))


def _empty_lines(path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(b"country,year,indicator,value\n")
        for _ in range(25):
            fh.write(b"\n" * 1_000_000)


def _parse_in_child(path: Path, name: str) -> dict:
    code = f"""
import json, sys, time
from pathlib import Path
from pipelines.ingest.context import ParseContext
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.parse import parse_file
ctx = ParseContext.from_seeds(Path("data/seeds"), b"k")
start = time.monotonic()
try:
    parse_file(Path({str(path)!r}), "official", ctx, {name!r})
    out = {{"rejected": False}}
except FileRejected as exc:
    out = {{"rejected": True, "reason": exc.reason_code, "message": exc.message,
            "format": exc.detected_format}}
out["seconds"] = time.monotonic() - start
# VmHWM is this process's own peak: ru_maxrss starts at the forking parent's RSS (a pytest worker
# that has run the export tests is ~1 GB), and would measure the parent, not the parse.
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
out["rss_mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(out))
"""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=MAX_SECONDS * 3
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall"] = time.monotonic() - started
    return out


@pytest.mark.parametrize(
    ("name", "writer", "fmt", "says"),
    [
        ("official/one_string.xlsx", _one_huge_string, "xlsx", "holds more than 32,767 characters"),
        ("official/million_rows.xlsx", _million_rows, "xlsx", "rows x 16 columns or more, over the limits"),
        ("official/no_breaks.csv", _no_line_breaks, "text", "a line is longer than 1024 KB"),
        ("official/empty_lines.csv", _empty_lines, "text", "25,000,001 lines is over the"),
    ],
)
def test_bombs_are_refused_by_name_quickly(tmp_path: Path, name: str, writer, fmt: str, says: str) -> None:
    path = tmp_path / Path(name).name
    writer(path)
    out = _parse_in_child(path, name)
    assert out["rejected"], out
    assert out["reason"] == r.TOO_LARGE
    assert out["message"].startswith(f"{name}: ") and says in out["message"], out["message"]
    assert out["format"] == fmt
    assert out["seconds"] < MAX_SECONDS, out
    assert out["rss_mb"] < MAX_RSS_MB, out


def test_limits_are_configurable() -> None:
    settings = Settings.resolve({"VETDX_MAX_CELLS": "1000", "VETDX_MAX_LINE_KB": "4"})
    limits = Limits.with_overrides(dict(settings.ingest_limits))
    assert (limits.max_cells, limits.max_line_kb, limits.max_rows) == (1000, 4, Limits().max_rows)
    with pytest.raises(ValueError, match="unknown ingest limit"):
        Limits.with_overrides(dict(Settings.resolve({"VETDX_MAX_CELS": "1"}).ingest_limits))
    with pytest.raises(ValueError, match="VETDX_MAX_ROWS must be 1 or more"):
        Settings.resolve({"VETDX_MAX_ROWS": "0"})


def test_a_legitimate_workbook_under_the_limits_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    rows = [b'<row r="1"><c r="A1" t="inlineStr"><is><t>country</t></is></c></row>']
    _workbook(path, rows)
    out = _parse_in_child(path, "official/ok.xlsx")
    # Read (then refused for its content, not its size): the limits let it through.
    assert out.get("reason") != r.TOO_LARGE, out


def _longest_run_by_hand(data: bytes) -> int:
    return max((len(line) for line in data.split(b"\n")), default=0)


@pytest.mark.parametrize("chunk_bytes", [1, 3, 7, 64, 1 << 20])
def test_the_longest_line_is_found_across_chunk_boundaries(chunk_bytes):
    from pipelines.ingest.readers.limits import has_run_longer_than

    samples = [b"", b"\n", b"abc", b"abc\n", b"\nabcdef", b"ab\ncdefgh\nij", b"a\n\n\nbcdefg\n", b"x" * 40]
    for data in samples:
        longest = _longest_run_by_hand(data)
        for limit in range(0, 12):
            assert has_run_longer_than(data, b"\n", limit, chunk_bytes) is (longest > limit), (data, limit)

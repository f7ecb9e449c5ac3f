"""Rejected files say what they were recognised as; a full disk is said plainly (issue 12, point 6)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.landing.groups import DiskFull
from pipelines.ingest.landing.loader import ingest_source
from pipelines.ingest.landing.parallel import FileParser
from pipelines.ingest.rows import reasons as r

FILES = {
    "official/table.pdf": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
    "official/page.xls": b"<html><body><table><tr><td>x</td></tr></table></body></html>",
    "official/notes.csv": "Résumé des données;année\nvoir le rapport;2024\n".encode("cp1252"),
}


def test_rejected_files_record_format_and_encoding(tmp_path: Path, ctx: ParseContext) -> None:
    for name, data in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    con = duckdb.connect()
    ingest_source(con, tmp_path, "official", FileParser(ctx), workers=0)
    audit = con.sql(
        "SELECT source_file, status, reason_code, detected_format, detected_encoding FROM audit.loads "
        "ORDER BY source_file"
    ).fetchall()
    assert audit == [
        ("official/notes.csv", "rejected", r.NO_HEADER_FOUND, "csv-semicolon", "cp1252"),
        ("official/page.xls", "rejected", r.UNSUPPORTED_FORMAT, "html", None),
        ("official/table.pdf", "rejected", r.UNSUPPORTED_FORMAT, "pdf", None),
    ]


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 3 MB tmpfs (needs mount rights: root in the project's container)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_disk_full_during_landing_is_reported_as_such(
    tmp_path: Path, ctx: ParseContext, tiny_disk: Path
) -> None:
    raw = tmp_path / "raw"
    (raw / "official").mkdir(parents=True)
    lines = "".join(
        f"JOR,{2000 + i % 25},itu_internet_users_pct,{i % 100},note {i} {'x' * 40}\n" for i in range(60_000)
    )
    (raw / "official" / "big.csv").write_text("country,year,indicator,value,note\n" + lines)
    con = duckdb.connect(str(tiny_disk / "w.duckdb"))
    try:
        with pytest.raises(DiskFull) as err:
            ingest_source(con, raw, "official", FileParser(ctx), workers=0)
    finally:
        con.close()
    assert "disk full while landing official/big.csv" in str(err.value)
    assert "cannot rollback" not in str(err.value)

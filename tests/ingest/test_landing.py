"""The loader end to end on a real DuckDB file: grouped landing and parsing in worker processes or
threads land exactly what parsing in-process lands, and the audit keeps every file in order."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.landing import groups
from pipelines.ingest.landing.loader import ingest_source
from pipelines.ingest.landing.parallel import FileParser, worker_count
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.schemas import RAW_TABLES, SOURCES
from pipelines.settings import parse_workers
from tests.ingest.test_corpus import ACCEPTED, REJECTED

CORPUS = [(name, source, writer) for name, source, writer, *_ in ACCEPTED + REJECTED]


def _write_corpus(raw: Path, copies: int = 1) -> None:
    """The corpus, and `copies - 1` byte-identical copies of each file under other paths."""
    for name, _, writer in CORPUS:
        first = raw / name
        first.parent.mkdir(parents=True, exist_ok=True)
        writer(first)  # workbooks carry their creation time: copied, not written again
        for i in range(1, copies):
            copy = raw / name.replace("/", f"/copy{i}_", 1)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(first, copy)


def _ingest(raw: Path, db: Path, parse: FileParser, workers: int) -> dict[str, list]:
    con = duckdb.connect(str(db))
    try:
        outcomes = {
            source: [(f.source_file, f.status, f.rows_landed, f.rows_quarantined) for f in s.files]
            for source in SOURCES
            for s in [ingest_source(con, raw, source, parse, workers=workers)]
        }
        # One input row can give several rows (survey answers): sorted whole, not by input row.
        tables = {
            f"{schema}.{table}": sorted(
                con.sql(f"SELECT * EXCLUDE (_batch_id, _loaded_at) FROM {schema}.{table}").fetchall(),
                key=repr,
            )
            for table in RAW_TABLES
            for schema in ("raw", "quarantine")
        }
        audit = con.sql(
            "SELECT source_file, status, rows_read, rows_landed, rows_quarantined, reason_code "
            "FROM audit.loads ORDER BY source_file"
        ).fetchall()
    finally:
        con.close()
    return {"outcomes": outcomes, "tables": tables, "audit": audit}


@pytest.mark.parametrize("workers", [1, 2])
def test_parsing_in_workers_lands_what_parsing_in_process_lands(
    tmp_path: Path, ctx: ParseContext, workers: int
) -> None:
    raw = tmp_path / "raw"
    _write_corpus(raw, copies=3)  # distinct paths, same content: later copies are duplicates
    serial = _ingest(raw, tmp_path / "serial.duckdb", FileParser(ctx), workers=0)
    parallel = _ingest(raw, tmp_path / "parallel.duckdb", FileParser(ctx), workers=workers)
    assert parallel == serial
    statuses = [status for files in serial["outcomes"].values() for _, status, *_ in files]
    assert statuses.count("duplicate") == 2 * len(ACCEPTED)
    assert statuses.count("rejected") == 3 * len(REJECTED)  # a rejected file's copy is not a duplicate
    assert sum(len(rows) for rows in serial["tables"].values()) > 0


def test_grouped_landing_lands_and_audits_every_file(
    tmp_path: Path, ctx: ParseContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    _write_corpus(raw)
    monkeypatch.setattr(groups, "GROUP_MAX_FILES", 2)  # several groups, with rejections between
    grouped = _ingest(raw, tmp_path / "grouped.duckdb", FileParser(ctx), workers=0)
    monkeypatch.setattr(groups, "GROUP_MAX_FILES", 10_000)
    one_group = _ingest(raw, tmp_path / "one.duckdb", FileParser(ctx), workers=0)
    assert grouped == one_group
    files = sorted(f for outcomes in grouped["outcomes"].values() for f in outcomes)
    for (name, status, landed, quarantined), audit in zip(files, grouped["audit"], strict=True):
        assert audit[:2] == (name, status) and audit[3:5] == (landed, quarantined), name
        landed_rows = sum(
            1
            for key, rows in grouped["tables"].items()
            if key.startswith("raw.")
            for row in rows
            if name in row
        )
        assert (landed_rows > 0) == (status == "loaded" and landed > 0), name


def test_a_killed_group_leaves_nothing_of_its_files(
    tmp_path: Path, ctx: ParseContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    _write_corpus(raw)
    db = tmp_path / "w.duckdb"

    def fail_on_audit(con: duckdb.DuckDBPyConnection, row: dict) -> None:
        if row["status"] == "loaded":
            raise RuntimeError("killed while writing the audit rows")

    monkeypatch.setattr(groups, "insert_audit", fail_on_audit)
    con = duckdb.connect(str(db))
    with pytest.raises(RuntimeError, match="killed"):
        ingest_source(con, raw, "inventory", FileParser(ctx), workers=0)
    counts = [con.sql(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in SOURCES["inventory"]]
    loaded = con.sql("SELECT count(*) FROM audit.loads WHERE status = 'loaded'").fetchone()[0]
    con.close()
    assert counts == [0] * len(counts) and loaded == 0


def test_file_rejected_survives_the_trip_from_a_worker() -> None:
    sent = FileRejected("no_header_found", "survey/x.csv: no header row found", rows_read=7)
    back = pickle.loads(pickle.dumps(sent))
    assert (back.reason_code, back.message, back.rows_read) == ("no_header_found", sent.message, 7)


def test_worker_count_keeps_small_batches_in_process() -> None:
    assert worker_count(3, 1_000, configured=2) == 0
    assert worker_count(50, 1_000, configured=2) == 2
    assert worker_count(1, 64 << 20, configured=2) == 2
    assert worker_count(50, 64 << 20, configured=1) == 0
    assert worker_count(50, 64 << 20, configured=0) == 0
    # the setting itself is checked where it is resolved, at the edge
    with pytest.raises(ValueError, match="VETDX_INGEST_WORKERS"):
        parse_workers("-1")

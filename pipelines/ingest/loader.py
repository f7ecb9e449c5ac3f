"""Land parsed files in DuckDB: raw rows, quarantined rows and one audit row per file, atomically.

Each file is one transaction: its raw rows, its quarantine rows and its `audit.loads` row commit
together or not at all, so a killed load never leaves half a file behind. Rows go in through Arrow
in bulk (one INSERT ... SELECT per table), never row by row. Raw tables keep every version of every
file; the staging layer picks the current one (docs/architecture.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.faults import crash_point
from pipelines.ingest.model import FileRejected, ParsedFile
from pipelines.ingest.schemas import (
    AUDIT_LOADS_COLUMNS,
    QUARANTINE_COLUMNS,
    RAW_TABLES,
    SOURCES,
)

logger = logging.getLogger(__name__)

Parser = Callable[[Path, str, str], ParsedFile]  # (path, source, display name) -> ParsedFile


@dataclass
class FileOutcome:
    source_file: str
    status: str  # loaded | rejected | duplicate | unchanged
    rows_read: int = 0
    rows_landed: int = 0
    rows_quarantined: int = 0
    message: str | None = None
    reason_code: str | None = None
    unknown_columns: list[str] = field(default_factory=list)


@dataclass
class SourceSummary:
    source: str
    files: list[FileOutcome]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows_landed(self) -> int:
        return sum(f.rows_landed for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)


def _ddl(schema: str, table: str, columns: dict[str, str]) -> str:
    cols = ", ".join(f'"{name}" {dtype}' for name, dtype in columns.items())
    return f"CREATE TABLE IF NOT EXISTS {schema}.{table} ({cols})"


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw, quarantine and audit tables, empty, so every dbt source exists."""
    for schema in ("raw", "quarantine", "audit"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in RAW_TABLES.values():
        con.execute(_ddl("raw", table.name, table.all_columns))
        con.execute(_ddl("quarantine", table.name, QUARANTINE_COLUMNS))
    con.execute(_ddl("audit", "loads", AUDIT_LOADS_COLUMNS))


def discover_files(raw_dir: Path, source: str) -> list[Path]:
    """Every file under raw_dir/source, in a stable order; hidden and lock files are ignored."""
    folder = raw_dir / source
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith((".", "~$")) for part in p.relative_to(raw_dir).parts)
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _known_loads(con: duckdb.DuckDBPyConnection, source: str) -> tuple[set[tuple[str, str]], set[str]]:
    rows = con.execute(
        "SELECT source_file, sha256, status FROM audit.loads WHERE source = ?", [source]
    ).fetchall()
    seen = {(f, h) for f, h, _ in rows}
    landed_hashes = {h for _, h, status in rows if status == "loaded"}
    return seen, landed_hashes


def ingest_source(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    source: str,
    parse: Parser,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> SourceSummary:
    """Load the files of one source that this warehouse has not seen (path and content) yet."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {sorted(SOURCES)}")
    ensure_tables(con)
    seen, landed_hashes = _known_loads(con, source)
    outcomes = []
    for path in discover_files(raw_dir, source):
        display = path.relative_to(raw_dir).as_posix()
        digest = sha256_of(path)
        if (display, digest) in seen:
            continue  # loading the same file twice changes nothing
        if digest in landed_hashes:
            outcome = _record_duplicate(con, source, display, digest, path.stat().st_size)
        else:
            outcome = load_file(con, path, display, digest, source, parse)
            if outcome.status == "loaded":
                landed_hashes.add(digest)
        seen.add((display, digest))
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return SourceSummary(source, outcomes)


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, display: str, digest: str, source: str, parse: Parser
) -> FileOutcome:
    started = datetime.now(UTC).replace(tzinfo=None)
    batch_id = uuid.uuid4().hex
    lineage = {
        "_source_file": display,
        "_sha256": digest,
        "_batch_id": batch_id,
        "_loaded_at": started,
    }
    audit = {
        "batch_id": batch_id,
        "source": source,
        "source_file": display,
        "sha256": digest,
        "size_bytes": path.stat().st_size,
        "started_at": started,
    }
    try:
        parsed = parse(path, source, display)
    except Exception as exc:
        # A parser bug on one file must not cost every other file its load: the file is rejected
        # with the error, and the refresh goes on. The traceback goes to the log.
        if not isinstance(exc, FileRejected):
            logger.exception("parser error on %s", display)
            exc = FileRejected("parser_error", f"{display}: the parser failed: {type(exc).__name__}: {exc}")
        _insert_audit(
            con,
            {
                **audit,
                "status": "rejected",
                "reason_code": exc.reason_code,
                "message": exc.message,
                "rows_read": exc.rows_read,
                "rows_landed": 0,
                "rows_quarantined": 0,
            },
        )
        return FileOutcome(
            display, "rejected", rows_read=exc.rows_read, message=exc.message, reason_code=exc.reason_code
        )

    expected = set(SOURCES[source])
    con.execute("BEGIN TRANSACTION")
    try:
        for table in parsed.tables:
            if table.table not in expected:
                raise ValueError(f"parser for {source!r} produced rows for unexpected table {table.table!r}")
            _insert_frame(con, "raw", table.table, RAW_TABLES[table.table].all_columns, table.rows, lineage)
            _insert_frame(con, "quarantine", table.table, QUARANTINE_COLUMNS, table.rejects, lineage)
        landed, quarantined = _count_input_rows(parsed)
        if landed + quarantined != parsed.rows_read:
            raise AssertionError(
                f"{display}: rows read ({parsed.rows_read}) != landed ({landed}) + quarantined "
                f"({quarantined}); refusing to lose rows silently"
            )
        message = "; ".join(parsed.notes) or None
        _insert_audit(
            con,
            {
                **audit,
                "status": "loaded",
                "rows_read": parsed.rows_read,
                "rows_landed": landed,
                "rows_quarantined": quarantined,
                "detected_format": parsed.detected_format,
                "detected_encoding": parsed.detected_encoding,
                "unknown_columns": json.dumps(parsed.unknown_columns, ensure_ascii=False),
                "message": message,
            },
        )
        con.execute("COMMIT")
        crash_point("ingest_file_committed")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return FileOutcome(
        display,
        "loaded",
        parsed.rows_read,
        landed,
        quarantined,
        message=message,
        unknown_columns=parsed.unknown_columns,
    )


def _count_input_rows(parsed: ParsedFile) -> tuple[int, int]:
    """Input rows (sheet, row number) that landed and that were quarantined.

    One input row can feed several tables (a survey submission gives a response and its answers),
    so rows are counted by identity, not by output rows. A row counted as quarantined is never also
    counted as landed.
    """

    def ids(frames: list[pl.DataFrame]) -> pl.DataFrame:
        key = [pl.col("_sheet").cast(pl.Utf8).fill_null(""), pl.col("_row_number").cast(pl.Int64)]
        parts = [f.select(key) for f in frames if f.height]
        if not parts:
            return pl.DataFrame(schema={"_sheet": pl.Utf8, "_row_number": pl.Int64})
        return pl.concat(parts).unique()

    landed = ids([t.rows for t in parsed.tables])
    rejected = ids([t.rejects for t in parsed.tables])
    return landed.join(rejected, on=["_sheet", "_row_number"], how="anti").height, rejected.height


def _insert_frame(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    columns: dict[str, str],
    frame: pl.DataFrame,
    lineage: dict,
) -> None:
    if frame.height == 0:
        return
    constant = {k: v for k, v in lineage.items() if k in columns}
    frame = frame.with_columns(pl.lit(v).alias(k) for k, v in constant.items())
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        frame = frame.with_columns(pl.lit(None).alias(c) for c in missing)
    select = ", ".join(f'CAST("{c}" AS {t})' for c, t in columns.items())
    con.register("_incoming", frame.select(list(columns)).to_arrow())
    try:
        con.execute(f"INSERT INTO {schema}.{table} SELECT {select} FROM _incoming")
    finally:
        con.unregister("_incoming")


def _insert_audit(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    ensure_tables(con)
    values = [row.get(c) for c in AUDIT_LOADS_COLUMNS]
    values[list(AUDIT_LOADS_COLUMNS).index("loaded_at")] = datetime.now(UTC).replace(tzinfo=None)
    placeholders = ", ".join("?" for _ in values)
    con.execute(f"INSERT INTO audit.loads VALUES ({placeholders})", values)


def _record_duplicate(
    con: duckdb.DuckDBPyConnection, source: str, display: str, digest: str, size: int
) -> FileOutcome:
    message = f"{display}: same content as a file already loaded (sha256 {digest[:12]}); nothing new landed"
    now = datetime.now(UTC).replace(tzinfo=None)
    _insert_audit(
        con,
        {
            "batch_id": uuid.uuid4().hex,
            "source": source,
            "source_file": display,
            "sha256": digest,
            "size_bytes": size,
            "status": "duplicate",
            "rows_read": 0,
            "rows_landed": 0,
            "rows_quarantined": 0,
            "message": message,
            "started_at": now,
        },
    )
    return FileOutcome(display, "duplicate", message=message)

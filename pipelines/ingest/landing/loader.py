"""Land the new files of a source in DuckDB: raw rows, quarantined rows and one audit row per file.

Files are parsed ahead by workers (parallel.py) and landed in file order, in groups (groups.py):
a group's raw rows, quarantine rows and `audit.loads` rows commit together or not at all, so a
killed load never leaves part of a file behind. A file rejected whole writes only its audit row.
Rows go in through Arrow in bulk (one INSERT ... SELECT per table and group), never row by row.
Raw tables keep every version of every file; the staging layer picks the current one
(docs/architecture.md).
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.hashing import sha256_of_files
from pipelines.ingest.landing import groups
from pipelines.ingest.landing.counts import CountedFile
from pipelines.ingest.landing.groups import PendingFile, audit_loaded, insert_audit, utc_now
from pipelines.ingest.landing.parallel import ParseJob, Parser, parse_pool, parsed_in_order, worker_count
from pipelines.ingest.privacy import pii
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.schemas import (
    AUDIT_LOADS_COLUMNS,
    QUARANTINE_COLUMNS,
    RAW_TABLES,
    SOURCES,
)

logger = logging.getLogger(__name__)


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
    workers: int | None = None,
    configured_workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
) -> SourceSummary:
    """Load the files of one source that this warehouse has not seen (path and content) yet.

    Files are parsed ahead by `workers` (default: `parallel.worker_count` of the batch, capped by the
    `configured_workers` setting) and landed here in order. `on_start` hears how many files are new
    before the first is parsed, `on_file` hears each file's outcome (a progress view counts both).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {sorted(SOURCES)}")
    ensure_tables(con)
    seen, landed_hashes = _known_loads(con, source)
    new: list[tuple[Path, str, str]] = []
    paths = discover_files(raw_dir, source)
    for path, digest in zip(paths, sha256_of_files(paths), strict=True):
        display = path.relative_to(raw_dir).as_posix()
        if (display, digest) not in seen:  # loading the same file twice changes nothing
            seen.add((display, digest))
            new.append((path, display, digest))
    to_parse = [ParseJob(path, display) for path, display, digest in new if digest not in landed_hashes]
    if on_start:
        on_start(len(new))
    if workers is None:
        total_bytes = sum(job.path.stat().st_size for job in to_parse)
        workers = worker_count(len(to_parse), total_bytes, configured_workers)
    parsing = {job.display for job in to_parse}
    outcomes: list[FileOutcome] = []
    group: list[tuple[PendingFile, FileOutcome]] = []

    def done(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)

    def land() -> None:
        groups.land_group(con, [pending for pending, _ in group])
        for _, outcome in group:
            done(outcome)
        group.clear()

    with parse_pool(parse, workers, source) as submit:
        # One file per worker plus one parsed ahead keeps every worker busy while a group lands;
        # each more costs a parsed file's memory (a 48 MiB CSV peaks at ~500 MiB while parsed).
        parsed = parsed_in_order(to_parse, source, parse, submit, ahead=max(workers, 1) + 1)
        for path, display, digest in new:
            result = None
            if display in parsing:
                job, result = next(parsed)
                assert job.display == display, f"parsed {job.display} while landing {display}"
            # A file with the content of one landed earlier in this very run is a duplicate too.
            if digest in landed_hashes or result is None:
                land()  # audit rows stay in file order
                done(_record_duplicate(con, source, display, digest, path.stat().st_size))
                continue
            pending, outcome = _prepare(path, display, digest, source, result)
            if isinstance(pending, dict):  # rejected whole: only its audit row
                land()
                insert_audit(con, pending)
                done(outcome)
                continue
            landed_hashes.add(digest)
            group.append((pending, outcome))
            if groups.group_is_full([p for p, _ in group]):
                land()
        land()
    return SourceSummary(source, outcomes)


def _prepare(
    path: Path,
    display: str,
    digest: str,
    source: str,
    counted_file: Callable[[], CountedFile],
) -> tuple[PendingFile | dict, FileOutcome]:
    """The file ready to land and its outcome once landed, or, for a file rejected whole, its
    audit row and outcome. `counted_file()` gives the parsed file with its row counts, or raises why
    it is unusable."""
    started = utc_now()
    batch_id = uuid.uuid4().hex
    audit = {
        "batch_id": batch_id,
        "source": source,
        "source_file": display,
        "sha256": digest,
        "size_bytes": path.stat().st_size,
        "started_at": started,
    }
    try:
        counted = counted_file()
    except Exception as exc:
        # A parser bug on one file must not cost every other file its load: the file is rejected
        # with the error, and the refresh goes on. The traceback goes to the log.
        if not isinstance(exc, FileRejected):
            # The exception text may quote a cell: the log and the audit row get it redacted.
            trace = pii.redact_text("".join(traceback.format_exception(exc)))
            logger.error("parser error on %s\n%s", display, trace)
            failed = f"{display}: the parser failed: {type(exc).__name__}: {exc}"
            exc = FileRejected("parser_error", pii.redact_text(failed))
        rejected = {
            **audit,
            "status": "rejected",
            "reason_code": exc.reason_code,
            "message": exc.message,
            "rows_read": exc.rows_read,
            "rows_landed": 0,
            "rows_quarantined": 0,
            "detected_format": exc.detected_format,
            "detected_encoding": exc.detected_encoding,
        }
        outcome = FileOutcome(
            display, "rejected", rows_read=exc.rows_read, message=exc.message, reason_code=exc.reason_code
        )
        return rejected, outcome

    parsed, landed, quarantined = counted.parsed, counted.rows_landed, counted.rows_quarantined
    unexpected = {t.table for t in parsed.tables} - set(SOURCES[source])
    if unexpected:
        raise ValueError(f"parser for {source!r} produced rows for unexpected tables {sorted(unexpected)}")
    if landed + quarantined != parsed.rows_read:
        raise AssertionError(
            f"{display}: rows read ({parsed.rows_read}) != landed ({landed}) + quarantined "
            f"({quarantined}); refusing to lose rows silently"
        )
    lineage = {"_source_file": display, "_sha256": digest, "_batch_id": batch_id, "_loaded_at": started}
    pending = PendingFile(parsed, lineage, audit_loaded(audit, parsed, landed, quarantined))
    outcome = FileOutcome(
        display,
        "loaded",
        parsed.rows_read,
        landed,
        quarantined,
        message=pending.audit["message"],
        unknown_columns=parsed.unknown_columns,
    )
    return pending, outcome


def _record_duplicate(
    con: duckdb.DuckDBPyConnection, source: str, display: str, digest: str, size: int
) -> FileOutcome:
    message = f"{display}: same content as a file already loaded (sha256 {digest[:12]}); nothing new landed"
    now = utc_now()
    insert_audit(
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

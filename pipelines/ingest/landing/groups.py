"""Write parsed files into DuckDB in groups: one transaction, one INSERT per table, per group.

Why groups: DuckDB stores 575k inventory rows from one Arrow table in ~1.2 s, but six such files
concatenated in ~4.5 s instead of ~10.6 s one by one (measured on this 2-core machine): a big
insert keeps both cores compressing and writing. A group's raw rows, quarantine rows and
`audit.loads` rows commit together or not at all, so a killed load never leaves part of a file
behind, and every file in `audit.loads` as loaded has all its rows in raw and quarantine.
"""

from __future__ import annotations

import contextlib
import errno
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import polars as pl

from pipelines.faults import crash_point
from pipelines.ingest.rows.model import ParsedFile
from pipelines.ingest.schemas import AUDIT_LOADS_COLUMNS, QUARANTINE_COLUMNS, RAW_TABLES

# A group is landed when it reaches either bound: memory stays at a few hundred MB of parsed rows.
# 500k rows, not 2M: on the 12-country slice of the benchmark (4.2M inventory rows) the ingest's
# peak RSS fell from 2.0 GiB to 1.5 GiB at 1M rows (with one file less parsed ahead, loader.py) and
# by another 150-200 MiB at 500k, for ~10 % more ingest time (the inventory ingest is the peak of a
# refresh: 2,170 MiB on the 10M-row benchmark at 1M rows, against a 2,048 MiB target).
GROUP_MAX_ROWS = 500_000
GROUP_MAX_FILES = 64


def group_is_full(group: list[PendingFile]) -> bool:
    return len(group) >= GROUP_MAX_FILES or sum(p.rows for p in group) >= GROUP_MAX_ROWS


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class PendingFile:
    """A parsed file waiting for its group's transaction."""

    parsed: ParsedFile
    lineage: dict[str, object]  # _source_file, _sha256, _batch_id, _loaded_at
    audit: dict[str, object]  # its audit.loads row, without loaded_at

    @property
    def rows(self) -> int:
        return sum(t.rows.height + t.rejects.height for t in self.parsed.tables)


def insert_audit(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    values = [row.get(c) for c in AUDIT_LOADS_COLUMNS]
    values[list(AUDIT_LOADS_COLUMNS).index("loaded_at")] = utc_now()
    placeholders = ", ".join("?" for _ in values)
    con.execute(f"INSERT INTO audit.loads VALUES ({placeholders})", values)


def land_group(con: duckdb.DuckDBPyConnection, group: list[PendingFile]) -> None:
    """Insert every file of `group` (raw, quarantine, audit) in one transaction."""
    if not group:
        return
    tables = dict.fromkeys(t.table for pending in group for t in pending.parsed.tables)
    con.execute("BEGIN TRANSACTION")
    try:
        for table in tables:
            parts = [(t, p.lineage) for p in group for t in p.parsed.tables if t.table == table]
            raw = [_with_lineage(t.rows, lineage) for t, lineage in parts]
            _insert(con, "raw", table, RAW_TABLES[table].all_columns, raw)
            bad = [_with_lineage(t.rejects, lineage) for t, lineage in parts]
            _insert(con, "quarantine", table, QUARANTINE_COLUMNS, bad)
        for pending in group:
            insert_audit(con, pending.audit)
        con.execute("COMMIT")
        crash_point("ingest_file_committed")
    except BaseException as exc:
        _rollback(con)
        if is_disk_full(exc):
            names = ", ".join(str(p.lineage["_source_file"]) for p in group[:3])
            more = f" and {len(group) - 3} more" if len(group) > 3 else ""
            raise DiskFull(
                errno.ENOSPC,
                f"disk full while landing {names}{more}: none of their rows landed; "
                "free disk space and refresh again",
            ) from exc
        raise


class DiskFull(OSError):
    """The disk filled during landing, said plainly (DuckDB says "Could not write file", and a
    second error, "cannot rollback - no transaction is active", used to hide even that)."""


def is_disk_full(exc: BaseException) -> bool:
    text = str(exc)
    return (
        isinstance(exc, DiskFull)
        or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
        or "No space left on device" in text
        or "disk is full" in text.lower()
    )


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    # DuckDB may have ended the transaction already (a failed COMMIT does): nothing left to undo.
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def audit_loaded(audit: dict, parsed: ParsedFile, landed: int, quarantined: int) -> dict:
    return {
        **audit,
        "status": "loaded",
        "rows_read": parsed.rows_read,
        "rows_landed": landed,
        "rows_quarantined": quarantined,
        "detected_format": parsed.detected_format,
        "detected_encoding": parsed.detected_encoding,
        "unknown_columns": json.dumps(parsed.unknown_columns, ensure_ascii=False),
        "message": "; ".join(parsed.notes) or None,
    }


def _with_lineage(frame: pl.DataFrame, lineage: dict[str, object]) -> pl.DataFrame:
    """`frame` with its file's lineage on every row.

    The text lineage (file, sha256, batch id: 30-64 characters, one value per file) goes to DuckDB
    dictionary-encoded: as plain strings, DuckDB copied and analysed 575k copies of each per file.
    Storing 2.1M equipment rows took 4.9 -> 4.0 s of CPU with the dictionary (4 largest benchmark
    files; 3.7 s with no lineage at all)."""
    if not frame.height:
        return frame
    return frame.with_columns(
        pl.lit(v, dtype=pl.Categorical if isinstance(v, str) else None).alias(k) for k, v in lineage.items()
    )


def _insert(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    columns: dict[str, str],
    frames: list[pl.DataFrame],
) -> None:
    frames = [f for f in frames if f.height]
    if not frames:
        return
    frame = pl.concat(
        [f.with_columns(pl.lit(None).alias(c) for c in columns if c not in f.columns) for f in frames],
        how="diagonal_relaxed",
    ).select(list(columns))
    select = ", ".join(f'CAST("{c}" AS {t})' for c, t in columns.items())
    # Polars' own string layout (Arrow string views), which DuckDB reads without copying: the default
    # compatibility level rewrote every string into a new buffer first.
    con.register("_incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        con.execute(f"INSERT INTO {schema}.{table} SELECT {select} FROM _incoming")
    finally:
        con.unregister("_incoming")

"""The analyst session: the published warehouse opened read-only inside DuckDB's sandbox.

Engine settings, applied before the configuration is locked:
- `read_only=True`: no write to the database through SQL (UPDATE, CREATE TABLE, CHECKPOINT...).
- `enable_external_access = false` with no `allowed_directories`: no file read or written outside the
  warehouse (read_csv('/etc/passwd'), glob, COPY TO, EXPORT DATABASE), no ATTACH of a file, no
  extension INSTALL or LOAD, no persistent secret. (`allowed_directories` must be set before
  external access is disabled and cannot be given in the connect config; we give none.)
- extension autoload/autoinstall off: a query cannot pull an extension from the network.
- `temp_directory` in the system temporary folder: a large sort spills there, never beside the
  published file.
- `lock_configuration = true`: none of the above can be changed by SET, RESET or PRAGMA.
Then `policy.gate` refuses what the engine would still allow (COPY onto the database file itself).
Exports go through Python code (pipelines/analyst/export.py), never through the session's SQL.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from pipelines.analyst import policy, warehouse_file
from pipelines.analyst.errors import AnalystError, QueryFailed, WarehouseUnavailable

_DAMAGE_MARKERS = ("Could not read enough bytes", "Corrupt database file", "checksum", "not a valid DuckDB")


def spill_directory() -> Path:
    return Path(tempfile.gettempdir()) / f"vetdx-analyst-{os.getuid() if hasattr(os, 'getuid') else 0}"


def check_file(path: Path) -> None:
    """One line naming the file and what to do, for a missing, non-DuckDB or truncated warehouse."""
    found = warehouse_file.problem(path)
    if found is None:
        return
    if found == "does not exist":
        raise WarehouseUnavailable(f"no published warehouse at {path}: run `vetdx refresh` first")
    if found.startswith("is truncated") or (
        found == "is not a DuckDB database file" and warehouse_file.is_published_store(path)
    ):
        raise WarehouseUnavailable(f"{path} is damaged ({found}): {warehouse_file.restore_hint(path)}")
    raise WarehouseUnavailable(f"{path} {found}: point --warehouse at the published warehouse file")


def damaged(path: Path, exc: duckdb.Error) -> WarehouseUnavailable | None:
    """An engine error that means the file is damaged (a page cannot be read or fails its checksum)."""
    if not any(marker in str(exc) for marker in _DAMAGE_MARKERS):
        return None
    return WarehouseUnavailable(
        f"{path} is damaged ({policy.one_line(exc)}): {warehouse_file.restore_hint(path)}"
    )


def error_for(path: Path, exc: duckdb.Error) -> AnalystError:
    """The one-line analyst error for an engine error: a refusal, a damaged file, or a failed query."""
    return (
        policy.refusal_for_error(exc)
        or damaged(path, exc)
        or QueryFailed(f"query failed: {policy.one_line(exc)}")
    )


def open_sandbox(path: Path) -> duckdb.DuckDBPyConnection:
    """The published file, read-only, external access off, configuration locked."""
    check_file(path)
    spill = spill_directory()
    try:
        con = duckdb.connect(
            str(path),
            read_only=True,
            config={
                "autoload_known_extensions": False,
                "autoinstall_known_extensions": False,
                "temp_directory": str(spill),
            },
        )
    except duckdb.Error as exc:
        raise damaged(path, exc) or WarehouseUnavailable(
            f"{path} cannot be opened: {policy.one_line(exc)}"
        ) from None
    try:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def run_script(
    con: duckdb.DuckDBPyConnection, path: Path, sql: str, source: str
) -> tuple[duckdb.DuckDBPyConnection, duckdb.Statement]:
    """Check every statement, then run them in order; the last one with its result."""
    statements = policy.gate(con, sql, source)
    result = con
    for statement in statements:
        result = execute(con, path, statement)
    return result, statements[-1]


def execute(con: duckdb.DuckDBPyConnection, path: Path, statement) -> duckdb.DuckDBPyConnection:
    try:
        return con.execute(statement)
    except duckdb.Error as exc:
        raise error_for(path, exc) from None

"""`audit.versions`: what each published version is made of, written into the build before publishing."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime

import duckdb

from pipelines.settings import REPO_ROOT

VERSIONS_DDL = """
CREATE TABLE IF NOT EXISTS audit.versions (
    version_id VARCHAR PRIMARY KEY,
    run_id VARCHAR,
    published_at TIMESTAMP,
    code_version VARCHAR,
    data_label VARCHAR,
    input_files JSON,     -- [{source_file, sha256, status, rows_landed, rows_quarantined}]
    row_counts JSON,      -- {"schema.table": rows}
    check_results JSON    -- [{check, asset, passed, severity, description}]
)
"""


def code_version() -> str:
    """The git commit the refresh ran from (with `-dirty` for uncommitted changes), else 'unknown'."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")


def table_row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "ORDER BY 1, 2"
    ).fetchall()
    return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in tables}


def input_files(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = con.execute(
        "SELECT source_file, sha256, status, rows_landed, rows_quarantined FROM audit.loads "
        "QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY loaded_at DESC) = 1 "
        "ORDER BY source_file"
    ).fetchall()
    keys = ("source_file", "sha256", "status", "rows_landed", "rows_quarantined")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def record_version(
    con: duckdb.DuckDBPyConnection,
    version_id: str,
    run_id: str,
    data_label: str | None,
    check_results: list[dict],
) -> dict:
    """Insert this version's audit row and return the same facts for the version's metadata file."""
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(VERSIONS_DDL)
    facts = {
        "version_id": version_id,
        "run_id": run_id,
        "published_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "data_label": data_label,
        "input_files": input_files(con),
        "check_results": check_results,
    }
    facts["row_counts"] = table_row_counts(con)
    con.execute(
        "INSERT INTO audit.versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            version_id,
            run_id,
            facts["published_at"],
            facts["code_version"],
            data_label,
            json.dumps(facts["input_files"]),
            json.dumps(facts["row_counts"]),
            json.dumps(check_results),
        ],
    )
    return facts

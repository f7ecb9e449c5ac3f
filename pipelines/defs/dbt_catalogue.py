"""The data catalogue (the dbt docs site as one static page), written in-process from a build.

`dbt docs generate --static` was a second dbt process per refresh: on the 10M-row benchmark it
cost its start (importing dbt, ~3 s on 2 cores), a partial parse, the catalogue query and the page,
6-9 s of the dbt step in all. What it computes is small: the columns of every table and view the
manifest names (one query over DuckDB's own catalogue) arranged as dbt's `catalog.json` (schema
v1), then dbt's docs page with the manifest and that catalogue inlined. This module does exactly
that from the build's `manifest.json`, in about 0.3 s; tests/dbt/test_catalogue.py compares its
catalogue with dbt's own on the same build.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

CATALOG_SCHEMA = "https://schemas.getdbt.com/dbt/catalog/v1.json"
PAGE_NAME = "static_index.html"
# dbt's docs page marks where `--static` inlines the two artifacts (dbt/task/docs/generate.py).
MANIFEST_MARK = '"MANIFEST.JSON INLINE DATA"'
CATALOG_MARK = '"CATALOG.JSON INLINE DATA"'

# dbt-duckdb's catalogue query (dbt/include/duckdb/macros/catalog.sql): tables and views of one
# database with their columns, in column order.
_CATALOG_SQL = """
with tables as (
    select database_name, schema_name, table_name, 'BASE TABLE' as table_type, comment
    from duckdb_tables() where upper(database_name) = upper({database})
    union all
    select database_name, schema_name, view_name, 'VIEW', comment
    from duckdb_views() where upper(database_name) = upper({database})
)
select
    t.database_name, t.schema_name, t.table_name, t.table_type, t.comment,
    c.column_name, c.column_index, c.data_type, c.comment
from tables as t
join duckdb_columns() as c
    on c.database_name = t.database_name and c.schema_name = t.schema_name
    and c.table_name = t.table_name
order by t.schema_name, t.table_name, c.column_index
"""


def docs_page_template() -> str:
    """dbt's docs single-page app (`dbt/task/docs/index.html`), found without importing dbt."""
    spec = importlib.util.find_spec("dbt")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("dbt-core is not installed: no docs page to build the catalogue with")
    for root in spec.submodule_search_locations:
        page = Path(root) / "task" / "docs" / "index.html"
        if page.exists():
            return page.read_text(encoding="utf-8")
    raise RuntimeError("dbt-core has no docs page (dbt/task/docs/index.html)")


def _key(database: str | None, schema: str, name: str) -> tuple[str | None, str, str]:
    """dbt's `CatalogKey`: database, schema and name compared in lower case."""
    return (database.lower() if database is not None else None, schema.lower(), name.lower())


def catalog_rows(con: duckdb.DuckDBPyConnection, database: str) -> list[tuple]:
    # A literal, not a prepared parameter: with `$database` the first run of this query took 2.8 s
    # on the slice's build against 0.18 s (DuckDB 1.5; the second run 0.05 s either way).
    literal = "'" + database.replace("'", "''") + "'"
    return con.execute(_CATALOG_SQL.format(database=literal)).fetchall()


def catalog_artifact(
    manifest: Mapping[str, Any], rows: Iterable[tuple], generated_at: datetime
) -> dict[str, Any]:
    """dbt's `catalog.json` for the manifest's relational nodes and sources, from the catalogue rows.

    As dbt does: every table or view is keyed by (database, schema, name) in lower case; a model,
    seed or snapshot maps to one key (`relation` nodes: not tests, not ephemeral models), a source
    to its table; tables nothing in the manifest names are left out.
    """
    tables: dict[tuple, dict[str, Any]] = {}
    for database, schema, name, kind, comment, column, index, data_type, column_comment in rows:
        table = tables.setdefault(
            _key(database, schema, name),
            {
                "metadata": {
                    "type": kind,
                    "schema": schema,
                    "name": name,
                    "database": database,
                    "comment": comment,
                    "owner": None,
                },
                "columns": {},
                "stats": {
                    "has_stats": {
                        "id": "has_stats",
                        "label": "Has Stats?",
                        "value": False,
                        "include": False,
                        "description": "Indicates whether there are statistics for this table",
                    }
                },
                "unique_id": None,
            },
        )
        table["columns"][column] = {
            "type": data_type,
            "index": int(index),
            "name": column,
            "comment": column_comment,
        }
    nodes = {}
    for unique_id, node in manifest.get("nodes", {}).items():
        relational = node.get("resource_type") in ("model", "seed", "snapshot")
        ephemeral = node.get("config", {}).get("materialized") == "ephemeral"
        key = _key(node.get("database"), node["schema"], node.get("alias") or node["name"])
        if relational and not ephemeral and key in tables:
            nodes[unique_id] = {**tables[key], "unique_id": unique_id}
    sources = {}
    for unique_id, source in manifest.get("sources", {}).items():
        key = _key(source.get("database"), source["schema"], source.get("identifier") or source["name"])
        if key in tables:
            sources[unique_id] = {**tables[key], "unique_id": unique_id}
    metadata = manifest.get("metadata", {})
    return {
        "metadata": {
            "dbt_schema_version": CATALOG_SCHEMA,
            "dbt_version": metadata.get("dbt_version"),
            "generated_at": generated_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "invocation_id": metadata.get("invocation_id"),
            "invocation_started_at": metadata.get("invocation_started_at"),
            "env": {},
        },
        "nodes": nodes,
        "sources": sources,
        "errors": None,
    }


def static_page(template: str, manifest_text: str, catalog_text: str) -> str:
    """The docs page with both artifacts inlined, as `dbt docs generate --static` writes it."""
    if MANIFEST_MARK not in template or CATALOG_MARK not in template:
        raise RuntimeError("dbt's docs page has no place for the inlined manifest and catalogue")
    return template.replace(MANIFEST_MARK, manifest_text).replace(CATALOG_MARK, catalog_text)


def _database_of(manifest: Mapping[str, Any]) -> str:
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") in ("model", "seed") and node.get("database"):
            return node["database"]
    raise RuntimeError("the manifest names no model: nothing to catalogue")


def write_catalogue(build: Path, manifest_path: Path, out_dir: Path) -> Path:
    """The build's catalogue page, `out_dir/static_index.html`, written whole or not at all.

    The build is opened read-only and only its catalogue (no row) is read; the page goes to a
    temporary name first and is renamed into place, so a process killed while writing leaves the
    previous page or none, never part of one. The manifest is the one dbt wrote for this build.
    """
    manifest_text = manifest_path.read_text(encoding="utf-8")
    manifest = json.loads(manifest_text)
    with duckdb.connect(str(build), read_only=True) as con:
        # The manifest names relations by the catalogue name dbt opened the file under (the file's
        # stem); a read-only connection of the same file has the same name.
        rows = catalog_rows(con, _database_of(manifest))
    artifact = catalog_artifact(manifest, rows, datetime.now(UTC))
    page = static_page(docs_page_template(), manifest_text, json.dumps(artifact))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / PAGE_NAME
    partial = out_dir / f".{PAGE_NAME}.{os.getpid()}.partial"
    try:
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target

"""`vetdx.connect()`: the analyst session for notebooks and scripts.

    import vetdx
    con = vetdx.connect()                      # the published warehouse (VETDX_WAREHOUSE or default)
    df = con.sql("select * from marts.gap_indices").pl()     # .df() for pandas, .fetchall() ...
    con.run_file("queries/01_latest_overall_ranking.sql").show()
    con.export("select * from marts.scores", "scores.parquet")   # into the operator's folder

Every statement goes through the same checks as `vetdx sql`. What comes back is a DuckDB relation
with its writing methods (write_csv, to_table, insert_into, query...) refused: a relation's own
write_csv, like COPY, may write onto the database file. This guards analysts against accidents and
against queries they did not write; Python code can still open files itself, so the files'
read-only permissions (kept versions and the published file) remain the last line of defence.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines import settings as cfg
from pipelines.analyst import export, policy, session
from pipelines.analyst.errors import Refused
from pipelines.analyst.source import read_query

# DuckDBPyRelation methods that write a file or a table, or run SQL of their own.
RELATION_WRITES = frozenset(
    {"create", "create_view", "insert", "insert_into", "query", "to_csv", "to_parquet", "to_table",
     "to_view", "update", "write_csv", "write_parquet"}
)  # fmt: skip


class Relation:
    """A read-only view of a DuckDB relation: every read and relational method, no writing one."""

    __slots__ = ("_rel",)

    def __init__(self, rel: duckdb.DuckDBPyRelation) -> None:
        self._rel = rel

    def __getattr__(self, name: str):
        if name in RELATION_WRITES:
            raise Refused(f"relation.{name}()", "export with vetdx.connect().export(query, 'NAME.parquet')")
        value = getattr(self._rel, name)
        if not callable(value):
            return value

        def call(*args, **kwargs):
            out = value(*args, **kwargs)
            return Relation(out) if isinstance(out, duckdb.DuckDBPyRelation) else out

        return call

    def __repr__(self) -> str:
        return repr(self._rel)

    def __len__(self) -> int:
        return len(self._rel)


class AnalystConnection:
    def __init__(self, warehouse: Path) -> None:
        self.warehouse = warehouse
        self._con = session.open_sandbox(warehouse)

    def sql(self, query: str) -> Relation | None:
        """Run `query` (one statement or a script); the last statement's rows as a relation."""
        statements = policy.gate(self._con, query, "the query")
        for statement in statements[:-1]:
            session.execute(self._con, self.warehouse, statement)
        try:
            # DuckDB runs a non-query statement at once and returns None; a query comes back lazy.
            rel = self._con.sql(statements[-1])
        except duckdb.Error as exc:
            raise session.error_for(self.warehouse, exc) from None
        return Relation(rel) if rel is not None else None

    def run_file(self, path: str | Path) -> Relation | None:
        sql, _ = read_query(str(path) if str(path).lower().endswith(".sql") else f"{path}.sql")
        return self.sql(sql)

    def export(self, query: str, name: str, exports_dir: Path | None = None) -> Path:
        """Write the rows of `query` to NAME.csv, .parquet or .xlsx in the operator's export folder."""
        folder = exports_dir / "sql" if exports_dir else cfg.Settings.from_env().sql_exports
        target = export.target_path(name, folder, self.warehouse)
        result, last = session.run_script(self._con, self.warehouse, query, "the query")
        export.write(result, last, target)
        return target

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> AnalystConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(warehouse: str | Path | None = None) -> AnalystConnection:
    """The published warehouse (or `warehouse`), read-only and sandboxed."""
    path = Path(warehouse).expanduser().resolve() if warehouse else cfg.Settings.from_env().warehouse
    return AnalystConnection(path)

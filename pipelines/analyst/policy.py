"""Which statements an analyst may run, decided before any of them runs.

The engine sandbox (session.open_sandbox) already stops file access outside the warehouse, ATTACH,
extensions and settings changes. It cannot stop one thing: DuckDB keeps the database's own file
allowed, so `COPY (select 1) TO 'warehouse/vetdx.duckdb' (use_tmp_file false)` overwrites the
published file (and, through its hard link, the kept version) even when opened read-only with
`enable_external_access = false` (checked on DuckDB 1.5.6). Hence this allow-list on the parsed
statements: anything that is not a query (or a temporary object of the session) is refused, with
one line saying so, before the first statement of a script runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb

from pipelines.analyst.errors import BadInput, QueryFailed, Refused

T = duckdb.StatementType

# Statements that only read, or change objects of the session itself (temporary tables, views,
# macros; the pivot's temporary enum). Writes to the warehouse among them fail in the engine (the
# file is opened read-only) and are reported through `refusal_for_error`.
PERMITTED = frozenset(
    {T.SELECT, T.CALL, T.TRANSACTION, T.CREATE, T.DROP, T.INSERT, T.UPDATE, T.DELETE, T.ALTER}
)

_REASONS: dict[str, tuple[str, str]] = {
    "COPY": (
        "COPY",
        "the session reads the published warehouse only; export with `vetdx sql --out NAME.csv`",
    ),
    "EXPORT": ("EXPORT DATABASE", "the session writes no files; export with `vetdx sql --out NAME.parquet`"),
    "IMPORT": ("IMPORT DATABASE", "the session reads the published warehouse only"),
    "ATTACH": ("ATTACH", "the session sees the published warehouse only"),
    "DETACH": ("DETACH", "the session sees the published warehouse only"),
    "LOAD": ("INSTALL or LOAD of an extension", "extensions are fixed for analysts"),
    "SET": ("changing a setting", "the session's configuration is locked"),
    "PRAGMA": ("changing a setting", "the session's configuration is locked"),
    "PREPARE": ("PREPARE", "run the statement itself"),
    "EXECUTE": ("EXECUTE", "run the statement itself"),
}

_LEADING_NOISE = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.S)
_EXPLAIN = re.compile(r"explain\s+(?:analy[sz]e\s+)?(?:\([^)]*\)\s*)?", re.I)
_USE = re.compile(r"use\s", re.I)


def strip_leading_comments(sql: str) -> str:
    return _LEADING_NOISE.sub("", sql, count=1)


def first_keyword(sql: str) -> str:
    match = re.match(r"[A-Za-z_]+", strip_leading_comments(sql))
    return match.group(0).upper() if match else ""


def parse(con: duckdb.DuckDBPyConnection, sql: str, source: str) -> list:
    """The statements of `sql`; a one-line error for an empty script or one that does not parse."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.PermissionException:
        # IMPORT DATABASE reads its folder while it is parsed; the sandbox stops that read.
        raise Refused(*_REASONS["IMPORT"]) from None
    except duckdb.Error as exc:
        raise QueryFailed(f"query failed: {one_line(exc)}") from None
    if not statements:
        raise BadInput(f"{source}: nothing to run (the query is empty or only comments)")
    return statements


def check(con: duckdb.DuckDBPyConnection, statements: Sequence, depth: int = 0) -> None:
    """Raise `Refused` for the first statement analysts may not run."""
    for statement in statements:
        kind = statement.type
        text = statement.query
        if kind in PERMITTED:
            continue
        if kind == T.EXPLAIN and depth == 0:
            # EXPLAIN ANALYZE runs its statement (an EXPLAIN ANALYZE COPY writes the file): judge that.
            inner = _EXPLAIN.sub("", strip_leading_comments(text), count=1)
            if inner.strip():
                check(con, parse(con, inner, "EXPLAIN"), depth + 1)
                continue
        if kind == T.SET and _USE.match(strip_leading_comments(text)):
            continue  # USE marts: the session's default schema, not a setting
        name = kind.name if kind.name in _REASONS else first_keyword(text)
        what, why = _REASONS.get(name, (f"a {name or 'statement of this kind'} statement", "not a query"))
        raise Refused(what, why)


def gate(con: duckdb.DuckDBPyConnection, sql: str, source: str) -> list:
    statements = parse(con, sql, source)
    check(con, statements)
    return statements


# Defence in depth: should a statement get past `check`, the engine's refusal still reads as one.
_ENGINE_REFUSALS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("read-only mode", ("writing to the warehouse", "it is opened read-only")),
    ("configuration has been locked", _REASONS["SET"]),
    ("disabled through configuration", _REASONS["LOAD"]),
    (
        "disabled by configuration",
        ("reading or writing files", "the session sees the published warehouse only"),
    ),
)


def refusal_for_error(exc: duckdb.Error) -> Refused | None:
    message = str(exc)
    for needle, (what, why) in _ENGINE_REFUSALS:
        if needle in message:
            return Refused(what, why)
    return None


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split("\n")[0].split())

"""Row-level expectations judged once per distinct key, each key weighted by the rows that hold it.

Why: GX's pandas metrics cost ~0.35 s per 250,000-row chunk (42 chunks and 12-16 s for the
10.6M equipment rows of the benchmark), yet a row-level expectation's verdict on a row depends only
on the columns it reads, and those hold few distinct values: 57 countries, ~40 years, ~100 item
codes, a few thousand (quantity, in working order) pairs. A not-null expectation needs even less:
whether the value is null. So DuckDB reduces the rows, in one scan (GROUPING SETS), to one row per
distinct key of each expectation with its row count; GX judges those rows; a row count is the sum
of the counts of its keys, and an unexpected count the sum over the keys GX names unexpected.
Examples are the first MAX_EXAMPLES rows holding an unexpected key, in id-column order.

The sums equal GX's counts on the rows themselves because each of these expectations (spec.CHUNKABLE)
judges a row on its own. A suite whose expectations use a row_condition or `mostly` (whose success
is not "no unexpected row") is not judged this way, nor are keys more than MAX_KEY_ROWS: `judge`
returns None and the runner streams chunks. Where GX's own count of missing (unjudged) keys differs
from the rule below, the verdict is not trusted either: None again.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.quality.frames import (
    ChunkVerdict,
    GxFrames,
    exception_message,
    gx_frame,
    in_suite_order,
    plain,
)
from pipelines.quality.report import MAX_EXAMPLES
from pipelines.quality.spec import expectation_columns
from pipelines.quality.spec import quote_identifier as _quote

# Above this many key rows (all expectations together), chunks are cheaper than the grouped frame.
MAX_KEY_ROWS = 1_000_000
_NULLNESS = (gxe.ExpectColumnValuesToNotBeNull, gxe.ExpectColumnValuesToBeNull)
_UNEXPECTED = "_quality_unexpected_keys"


@dataclass(frozen=True)
class _Key:
    """What one expectation is judged on: `sql_columns` in the grouping query, shown to GX under
    `columns`. A nullness key is one column computed by `projection` (TRUE for a value, NULL for
    none: the not-null expectations need no more), shown under the column's own name."""

    columns: tuple[str, ...]
    sql_columns: tuple[str, ...]
    projection: str | None = None


def applies(suite: gx.ExpectationSuite) -> bool:
    """Whether every expectation's verdict is the sum of its verdicts on the suite's rows."""
    return all(e.row_condition is None and (getattr(e, "mostly", 1) or 1) >= 1 for e in suite.expectations)


def _columns(expectation: gxe.Expectation) -> tuple[str, ...]:
    return expectation_columns(expectation.configuration.kwargs)


def _key(expectation: gxe.Expectation) -> _Key:
    columns = _columns(expectation)
    if isinstance(expectation, _NULLNESS):
        presence = f"CASE WHEN {_quote(columns[0])} IS NOT NULL THEN TRUE END"
        return _Key(columns, (f"_present_{columns[0]}",), presence)
    return _Key(columns, columns)


def judge(
    con: duckdb.DuckDBPyConnection,
    rows_sql: str,
    suite: gx.ExpectationSuite,
    id_columns: tuple[str, ...],
    frames: GxFrames,
) -> tuple[list[ChunkVerdict], int] | None:
    """Verdicts of `suite` (in suite order) on the rows of `rows_sql` and the number of rows, or None
    when the suite is to be judged on chunks instead (see the module docstring)."""
    if not suite.expectations or not applies(suite):
        return None
    present = set(con.sql(f"SELECT * FROM ({rows_sql}) AS _rows LIMIT 0").columns)
    if any(c not in present for e in suite.expectations for c in _columns(e)):
        return None  # GX names the missing column, expectation by expectation, on a chunk
    keys = {id(e): _key(e) for e in suite.expectations}
    sets = list(dict.fromkeys(k.sql_columns for k in keys.values()))
    grouped_columns = list(dict.fromkeys(c for s in sets for c in s))
    presence = {k.sql_columns[0]: k.projection for k in keys.values() if k.projection}
    projected = ", ".join(["_rows.*", *(f"{sql} AS {_quote(c)}" for c, sql in presence.items())])
    source = f"SELECT {projected} FROM ({rows_sql}) AS _rows"
    listed = ", ".join(_quote(c) for c in grouped_columns)
    grouping_sets = ", ".join("(" + ", ".join(_quote(c) for c in s) + ")" for s in sets)
    table = con.sql(
        f"SELECT {listed}, GROUPING({listed}) AS _set, count(*) AS _rows_n "
        f"FROM ({source}) AS _source GROUP BY GROUPING SETS ({grouping_sets}) LIMIT {MAX_KEY_ROWS + 1}"
    ).to_arrow_table()
    if table.num_rows > MAX_KEY_ROWS:
        return None
    by_set = {s: _set_rows(table, s, grouped_columns) for s in sets}
    row_count = int(pc.sum(by_set[sets[0]].column("_rows_n")).as_py() or 0)
    ids = tuple(c for c in id_columns if c in present)
    verdicts: dict[int, ChunkVerdict] = {}
    for sql_columns, key_rows in by_set.items():
        members = [e for e in suite.expectations if keys[id(e)].sql_columns == sql_columns]
        judged = _judge_set(con, source, key_rows, members, keys, ids, frames, row_count)
        if judged is None:
            return None
        verdicts.update(judged)
    return [verdicts[id(e)] for e in suite.expectations], row_count


def _set_rows(table: pa.Table, sql_columns: tuple[str, ...], grouped: list[str]) -> pa.Table:
    """The key rows of one grouping set: DuckDB's GROUPING() sets bit (n-1-i) for each of the n
    listed columns that is not in the set (the first column is the highest bit)."""
    mask = sum(1 << (len(grouped) - 1 - i) for i, c in enumerate(grouped) if c not in sql_columns)
    rows = table.filter(pc.equal(table.column("_set"), mask))
    return rows.select([*sql_columns, "_rows_n"])


def _judge_set(
    con: duckdb.DuckDBPyConnection,
    source: str,
    key_rows: pa.Table,
    members: list[gxe.Expectation],
    keys: dict[int, _Key],
    id_columns: tuple[str, ...],
    frames: GxFrames,
    row_count: int,
) -> dict[int, ChunkVerdict] | None:
    key = keys[id(members[0])]
    frame = gx_frame(key_rows.select(list(key.sql_columns)).rename_columns(list(key.columns)))
    weights = key_rows.column("_rows_n").to_numpy().astype(np.int64)
    suite = gx.ExpectationSuite(name="by_value", expectations=[e.copy() for e in members])
    result = frames.validate(frame, suite, (), detail="COMPLETE")
    out: dict[int, ChunkVerdict] = {}
    for expectation, evr in zip(members, in_suite_order(result, suite), strict=True):
        verdict = _weighted(con, source, key_rows, expectation, key, evr, weights, id_columns, row_count)
        if verdict is None:
            return None
        out[id(expectation)] = verdict
    return out


def _missing(expectation: gxe.Expectation, key_rows: pa.Table, key: _Key) -> np.ndarray:
    """Which key rows GX leaves unjudged (its `missing_count`)."""
    nulls = [key_rows.column(c).is_null().to_numpy(zero_copy_only=False) for c in key.sql_columns]
    if isinstance(expectation, _NULLNESS):
        return np.zeros(key_rows.num_rows, dtype=bool)
    if len(nulls) == 1:
        return nulls[0]
    ignore = getattr(expectation, "ignore_row_if", "both_values_are_missing")
    if ignore == "either_value_is_missing":
        return nulls[0] | nulls[1]
    if ignore == "both_values_are_missing":
        return nulls[0] & nulls[1]
    return np.zeros(key_rows.num_rows, dtype=bool)


def _weighted(
    con: duckdb.DuckDBPyConnection,
    source: str,
    key_rows: pa.Table,
    expectation: gxe.Expectation,
    key: _Key,
    evr,
    weights: np.ndarray,
    id_columns: tuple[str, ...],
    row_count: int,
) -> ChunkVerdict | None:
    error = exception_message(evr.exception_info)
    if error:
        return ChunkVerdict(success=False, element_count=row_count, error=error)
    result = evr.result or {}
    unexpected = [int(i) for i in result.get("unexpected_index_list") or []]
    missing = _missing(expectation, key_rows, key)
    if int(missing.sum()) != int(result.get("missing_count") or 0) or bool(evr.success) != (not unexpected):
        return None  # GX judged these keys by a rule this module does not mirror: use chunks
    success = not unexpected
    return ChunkVerdict(
        success=success,
        element_count=row_count,
        unexpected_count=int(weights[unexpected].sum()) if unexpected else 0,
        missing_count=int(weights[missing].sum()),
        examples=[] if success else _examples(con, source, key_rows.take(unexpected), key, id_columns),
    )


def _examples(
    con: duckdb.DuckDBPyConnection, source: str, unexpected: pa.Table, key: _Key, id_columns: tuple[str, ...]
) -> list[dict]:
    """The first MAX_EXAMPLES rows holding an unexpected key, by their id columns (those the rows
    have), as the chunked path reports them: {'value': v (or [a, b]), <id column>: ...}."""
    ids = list(id_columns)  # those the rows have (judge)
    match = " AND ".join(f"_s.{_quote(c)} IS NOT DISTINCT FROM _u.{_quote(c)}" for c in key.sql_columns)
    shown = [*key.columns, *(c for c in ids if c not in key.columns)]
    order = ", ".join(f"_s.{_quote(c)} NULLS LAST" for c in [*ids, *key.columns])
    con.register(_UNEXPECTED, unexpected.select(list(key.sql_columns)))
    try:
        rows = con.sql(
            f"SELECT {', '.join(f'_s.{_quote(c)}' for c in shown)} FROM ({source}) AS _s "
            f"SEMI JOIN {_UNEXPECTED} AS _u ON {match} ORDER BY {order} LIMIT {MAX_EXAMPLES}"
        ).fetchall()
    finally:
        con.unregister(_UNEXPECTED)
    out = []
    for row in rows:
        named = dict(zip(shown, row, strict=True))
        values = [plain(named[c]) for c in key.columns]
        out.append({"value": values[0] if len(values) == 1 else values, **{c: plain(named[c]) for c in ids}})
    return out

"""Run a TableSuite against a DuckDB connection with GX, in bounded memory, on every core.

Why not GX's SQL datasource: on DuckDB through duckdb-engine it returns no rows ("list index out of
range"): GX fetches the results after closing the connection (re-verified with duckdb-engine 0.17
and SQLAlchemy 2.1). Why not one pandas frame: a 10M-row raw table would not fit.

- Row-level expectations, by value (grouped.py, the default): DuckDB reduces the suite's rows in
  one scan to each expectation's distinct keys with their row counts; GX judges the keys and the
  counts are summed (10.6M equipment rows: 13.7-14.0 s in chunks -> 3.5-5.4 s, same verdicts).
  Suites with row conditions or `mostly`, and keys beyond grouped.MAX_KEY_ROWS, go by chunks:
- Row-level expectations, in chunks: DuckDB streams only the needed columns of the suite's rows as
  Arrow record batches of `chunk_rows` (250k by default); each batch becomes a pandas frame (frames.gx_frame:
  64-bit numbers, which GX judges vectorised) that GX validates through an ephemeral context's
  pandas datasource (one dataframe asset, whole-frame batch definition). Counts are summed across
  chunks and the first MAX_EXAMPLES unexpected values are kept, each with the suite's row
  identifiers (for raw tables `_source_file`, `_row_number`).
- Both cores: with MIN_ROWS_FOR_HELPERS rows or more to judge, spawned helper processes validate
  chunks beside this one (parallel.py); verdicts are merged in chunk order, so counts and examples
  are those of one process. Memory is a few chunks in flight, whatever the table size.
- Set-level expectations: each Reduction's SQL lets DuckDB reduce the table to a small frame (the
  duplicated keys with their counts, one row per country with its row counts now and in the
  published version, the country x round x dimension grid) and GX validates that frame whole.
  DuckDB's memory is capped meanwhile (REDUCTION_MEMORY_LIMIT): a large hash table spills.
- Batches (raw suites, given a BatchLedger): the row-level part and the per-batch reductions (keys
  unique within a batch) judge only the current rows of batches not yet recorded in
  `audit.validated_batches` under the same suite fingerprint, and record them when no ERROR
  expectation failed (batches.py). Other set-level expectations (row counts per country) still see
  every row.

Measured on raw.equipment_inventory, 10,616,144 rows, 2-core VM under load 5-7 from other work
(`python -m pipelines.quality.bench --db <warehouse> --helpers 0`): 71.7 s and 2,180 MiB peak before
(GX's per-value between on int32 columns, the unique-key hash table uncapped) -> 32.6-43.7 s and
702 MiB. What is left per 250k-row chunk is GX's own (its metric graph per expectation, ~0.35 s),
not the Arrow -> pandas conversion (0.04 s).

Every verdict therefore comes from a GX expectation with its own severity, and each scope's merged
result is also kept as a GX suite validation result, which Data Docs renders (see docs.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import great_expectations as gx
import pyarrow as pa
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)

from pipelines.quality import grouped
from pipelines.quality.batches import BatchLedger, BatchPlan, plan_batches, record_batches
from pipelines.quality.frames import ChunkVerdict, GxFrames, plain
from pipelines.quality.parallel import ChunkValidator, idle_cores, usable_cores
from pipelines.quality.report import MAX_EXAMPLES, Outcome, ValidationReport
from pipelines.quality.spec import PREVIOUS_VIEW, SEVERITY_LABEL, Reduction, TableSuite, column_label

DEFAULT_CHUNK_ROWS = 250_000
ROWS = "rows"
# Below this many rows to judge, a helper process (GX import, 4-14 s) would start too late to help.
MIN_ROWS_FOR_HELPERS = 2_000_000
# DuckDB's memory during a validation: the unique-key reduction's hash table over 10.6M rows took
# 1.7 GB above the process's baseline with DuckDB's default (80 % of RAM); capped, it spills to the
# database's temp folder and took 0.4 GB, and less time (9.2 s -> 6.2 s on a loaded VM).
REDUCTION_MEMORY_LIMIT = "300MB"

log = logging.getLogger(__name__)


def validate(
    con: duckdb.DuckDBPyConnection,
    suite: TableSuite,
    *,
    previous: duckdb.DuckDBPyConnection | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    frames: GxFrames | None = None,
    ledger: BatchLedger | None = None,
    helpers: int | None = None,
    by_value: bool = True,
) -> ValidationReport:
    """Validate `suite` on `con` (the build); `previous` is the published warehouse, if any.

    With `ledger`, a batched suite's row-level part and its per-batch reductions skip batches
    already validated under it, and the batches validated are recorded (which writes to `con`);
    without, every current row is judged. `helpers`: processes validating chunks beside this one
    (None: one per other idle core when there are at least MIN_ROWS_FOR_HELPERS rows to judge).
    `by_value`: judge the row-level part on distinct keys weighted by their rows (grouped.py) where
    it applies; False always streams chunks.
    """
    started = time.perf_counter()
    frames = frames or GxFrames()
    outcomes: list[Outcome] = []
    gx_results: list[dict] = []
    with _duckdb_memory(con, REDUCTION_MEMORY_LIMIT):
        plan = plan_batches(con, suite, ledger) if ledger and suite.batch_column else None
        per_batch: list[Outcome] = []
        for reduction in suite.reductions:
            rows_sql = plan.pending_sql if plan is not None and reduction.per_batch_sql else None
            merged = _run_reduction(con, previous, reduction, frames, rows_sql)
            reduction_outcomes = merged.outcomes(reduction.name)
            if reduction.per_batch_sql:
                per_batch += reduction_outcomes
            outcomes += reduction_outcomes
            gx_results += merged.gx_result(reduction.suite.name)
        merged, row_count, chunks = _run_rows(con, suite, frames, chunk_rows, plan, helpers, by_value)
    row_outcomes = merged.outcomes(ROWS)
    if plan is not None and _vouches_for_batches([*row_outcomes, *per_batch]):
        record_batches(con, plan)
    outcomes += row_outcomes
    gx_results += merged.gx_result(suite.rows.name)
    return ValidationReport(
        suite=suite.name,
        relation=suite.relation,
        row_count=row_count,
        chunks=chunks,
        seconds=round(time.perf_counter() - started, 3),
        outcomes=outcomes,
        gx_results=gx_results,
        batches=plan.coverage() if plan else None,
    )


def _vouches_for_batches(outcomes: list[Outcome]) -> bool:
    """Every row-level and per-batch expectation was evaluated and none with ERROR failed (a WARN
    stays in this run's report). Counts are summed over chunks mixing batches, so one ERROR leaves
    every new batch unrecorded: it is judged again next time, never wrongly skipped."""
    return not any(o.error or (not o.success and o.severity == "ERROR") for o in outcomes)


@contextmanager
def _duckdb_memory(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit lowered to `limit` for the validation, then restored; see
    REDUCTION_MEMORY_LIMIT. A connection that refuses the setting is left as it is."""
    try:
        before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        con.execute(f"SET memory_limit = '{limit}'")
    except duckdb.Error:
        yield
        return
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{before}'")


def _run_rows(
    con: duckdb.DuckDBPyConnection,
    suite: TableSuite,
    frames: GxFrames,
    chunk_rows: int,
    plan: BatchPlan | None,
    helpers: int | None,
    by_value: bool,
) -> tuple[_Merged, int, int]:
    """The row-level verdicts, the rows judged and the frames GX judged them in (the grouping-set
    frames of grouped.py count as one)."""
    merged = _Merged(suite.rows)
    rows_sql = plan.pending_sql if plan else None
    try:
        available = set(con.sql(f"SELECT * FROM {suite.relation} LIMIT 0").columns)
        stream_sql = suite.stream_sql(available, rows_sql)
        judged = grouped.judge(con, stream_sql, suite.rows, suite.id_columns, frames) if by_value else None
        if judged is not None:
            merged.add(judged[0])
            return merged, judged[1], 1
        if helpers is None:
            helpers = _default_helpers(con, suite, plan)
        # A streaming result: no other query may run on `con` until it is read to the end.
        reader = con.execute(stream_sql).to_arrow_reader(chunk_rows)
    except duckdb.Error as exc:
        merged.fail(str(exc).splitlines()[0])
        return merged, 0, 0
    row_count = 0
    with ChunkValidator(frames, suite.rows, suite.id_columns, helpers) as chunks:
        for batch in _batches(reader):
            row_count += batch.num_rows
            chunks.add(batch)
        results = chunks.results()
        in_helpers = chunks.chunks_in_helpers
    log.debug("%s: %d rows, %d of %d chunks in helpers", suite.name, row_count, in_helpers, len(results))
    for verdicts in results:
        merged.add(verdicts)
    return merged, row_count, len(results)


def _default_helpers(con: duckdb.DuckDBPyConnection, suite: TableSuite, plan: BatchPlan | None) -> int:
    """One helper per other idle core, if the rows to judge are many enough to repay its start."""
    if plan is not None:
        rows = sum(plan.pending.values())
    else:  # DuckDB's row count of the table (no scan); a view or an unknown relation: none
        schema, _, table = suite.relation.rpartition(".")
        found = con.execute(
            "SELECT estimated_size FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
            [schema or "main", table],
        ).fetchone()
        rows = found[0] if found else 0
    if rows < MIN_ROWS_FOR_HELPERS:
        return 0
    return min(usable_cores() - 1, idle_cores())


def _batches(reader: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
    """Each record batch; an empty table still yields one (empty) batch so every expectation gets
    a verdict."""
    empty = True
    for batch in reader:
        empty = False
        yield batch
    if empty:
        yield pa.RecordBatch.from_pylist([], schema=reader.schema)


def _run_reduction(
    con: duckdb.DuckDBPyConnection,
    previous: duckdb.DuckDBPyConnection | None,
    reduction: Reduction,
    frames: GxFrames,
    rows_sql: str | None = None,
) -> _Merged:
    """`rows_sql`: the rows a per-batch reduction reduces instead of all of the suite's rows."""
    merged = _Merged(reduction.suite)
    registered = False
    try:
        if reduction.previous_sql is not None:
            before = _previous_rows(previous, reduction.previous_sql)
            if before is None:
                merged.skip("no published version of this table to compare with")
                return merged
            con.register(PREVIOUS_VIEW, before)
            registered = True
        sql = reduction.per_batch_sql(rows_sql) if rows_sql and reduction.per_batch_sql else reduction.sql
        frame = con.sql(sql).df()  # small (one row per duplicated key, per country...)
    except duckdb.Error as exc:
        merged.fail(str(exc).splitlines()[0])
        return merged
    finally:
        if registered:
            con.unregister(PREVIOUS_VIEW)
    merged.add(frames.verdicts(frame, reduction.suite, reduction.id_columns))
    return merged


def _previous_rows(previous: duckdb.DuckDBPyConnection | None, sql: str) -> pa.Table | None:
    if previous is None:
        return None
    try:
        return previous.sql(sql).to_arrow_table()
    except duckdb.CatalogException:  # the table is new since the published version
        return None


@dataclass
class _Tally:
    config: Any  # GX ExpectationConfiguration
    success: bool = True
    unexpected_count: int = 0
    element_count: int = 0
    missing_count: int = 0
    examples: list[dict] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None


class _Merged:
    """Per-expectation verdicts of one GX suite, summed over the frames it ran on."""

    def __init__(self, suite: gx.ExpectationSuite) -> None:
        self.suite = suite
        self.tallies = [_Tally(config=e.configuration) for e in suite.expectations]

    def add(self, verdicts: list[ChunkVerdict]) -> None:
        """One frame's verdicts (frames.verdicts: suite order); call in frame order, so the examples
        kept are the first MAX_EXAMPLES in stream order."""
        for tally, verdict in zip(self.tallies, verdicts, strict=True):
            tally.success = tally.success and verdict.success
            tally.element_count += verdict.element_count
            tally.unexpected_count += verdict.unexpected_count
            tally.missing_count += verdict.missing_count
            if verdict.error and tally.error is None:
                tally.error = verdict.error
            room = MAX_EXAMPLES - len(tally.examples)
            if room > 0:
                tally.examples += verdict.examples[:room]

    def fail(self, message: str) -> None:
        for tally in self.tallies:
            tally.success, tally.error = False, message

    def skip(self, reason: str) -> None:
        for tally in self.tallies:
            tally.skipped = reason

    def outcomes(self, scope: str) -> list[Outcome]:
        return [_outcome(t, scope) for t in self.tallies]

    def gx_result(self, name: str) -> list[dict]:
        """The merged verdicts as one GX suite validation result (JSON), the input of Data Docs."""
        if all(t.skipped for t in self.tallies):
            return []
        results = [
            ExpectationValidationResult(
                success=t.success,
                expectation_config=t.config,
                result={
                    "element_count": t.element_count,
                    "unexpected_count": t.unexpected_count,
                    "unexpected_percent": 100.0 * t.unexpected_count / t.element_count
                    if t.element_count
                    else 0.0,
                    "missing_count": t.missing_count,
                    "partial_unexpected_list": [e["value"] for e in t.examples],
                },
                exception_info={
                    "raised_exception": t.error is not None,
                    "exception_message": t.error,
                    "exception_traceback": None,
                },
            )
            for t in self.tallies
        ]
        successful = sum(r.success for r in results)
        suite_result = ExpectationSuiteValidationResult(
            success=successful == len(results),
            results=results,
            suite_name=name,
            statistics={
                "evaluated_expectations": len(results),
                "successful_expectations": successful,
                "unsuccessful_expectations": len(results) - successful,
                "success_percent": 100.0 * successful / len(results) if results else 100.0,
            },
            meta={
                "batch_spec": {
                    "data_asset_name": name,
                    "engine": "duckdb (chunks or distinct keys) + gx pandas",
                }
            },
        )
        return [suite_result.to_json_dict()]


def _outcome(tally: _Tally, scope: str) -> Outcome:
    kwargs = {
        k: v
        for k, v in tally.config.kwargs.items()
        if k not in ("column", "column_A", "column_B", "batch_id")
    }
    if isinstance(kwargs.get("value_set"), list) and len(kwargs["value_set"]) > 20:
        kwargs["value_set"] = [*kwargs["value_set"][:20], f"... {len(kwargs['value_set'])} values"]
    severity = SEVERITY_LABEL[tally.config.severity]
    return Outcome(
        expectation=tally.config.type,
        column=column_label(tally.config.kwargs),
        severity=severity,
        success=tally.success,
        unexpected_count=tally.unexpected_count,
        element_count=tally.element_count,
        scope=scope,
        kwargs=_plain_dict(kwargs),
        examples=tally.examples,
        error=tally.error,
        skipped=tally.skipped,
    )


def _plain_dict(values: dict) -> dict:
    return {
        k: (plain(v) if not isinstance(v, (str, int, bool, type(None))) else v) for k, v in values.items()
    }

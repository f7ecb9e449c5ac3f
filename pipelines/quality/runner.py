"""Run a TableSuite against a DuckDB connection with GX, in bounded memory.

Design (why not GX's SQL datasource: on DuckDB via duckdb-engine it returned no metric rows,
"list index out of range"; why not one pandas frame: a 10M-row raw table would not fit):

- Row-level expectations: DuckDB streams only the needed columns of the suite's rows as Arrow record
  batches of `chunk_rows` (250k by default); each batch becomes a pandas frame that GX validates
  through an ephemeral context's pandas datasource (one dataframe asset, whole-frame batch
  definition). Counts are summed across chunks and the first MAX_EXAMPLES unexpected values are
  kept, each with the suite's row identifiers (for raw tables `_source_file`, `_row_number`).
  Memory is one chunk, whatever the table size.
- Set-level expectations: each Reduction's SQL lets DuckDB reduce the table to a small frame (the
  duplicated keys with their counts, one row per country with its row counts now and in the
  published version, the country x round x dimension grid) and GX validates that frame whole.
- Batches (raw suites, given a BatchLedger): the row-level part judges only the current rows of
  batches not yet recorded in `audit.validated_batches` under the same suite fingerprint, and records
  them when no ERROR expectation failed (batches.py). Set-level expectations still see every row.

Every verdict therefore comes from a GX expectation with its own severity, and each scope's merged
result is also kept as a GX suite validation result, which Data Docs renders (see docs.py).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import great_expectations as gx
import pandas as pd
import pyarrow as pa
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.data_context.types.base import ProgressBarsConfig

from pipelines.quality.batches import BatchLedger, BatchPlan, plan_batches, record_batches
from pipelines.quality.report import MAX_EXAMPLES, Outcome, ValidationReport
from pipelines.quality.spec import PREVIOUS_VIEW, SEVERITY_LABEL, Reduction, TableSuite, column_label

DEFAULT_CHUNK_ROWS = 250_000
ROWS = "rows"

log = logging.getLogger(__name__)


class GxFrames:
    """One ephemeral GX context whose single dataframe asset validates any frame handed to it."""

    def __init__(self) -> None:
        context = gx.get_context(mode="ephemeral")
        # A progress bar per chunk would flood the Dagster logs (40 bars for 10M rows).
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = context.data_sources.add_pandas("vetdx_quality").add_dataframe_asset("frame")
        self._batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")

    def validate(
        self, frame: pd.DataFrame, suite: gx.ExpectationSuite, id_columns: tuple[str, ...]
    ) -> ExpectationSuiteValidationResult:
        batch = self._batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
        present_ids = [c for c in id_columns if c in frame.columns]
        if present_ids:
            result_format["unexpected_index_column_names"] = present_ids
        return batch.validate(suite, result_format=result_format)


def validate(
    con: duckdb.DuckDBPyConnection,
    suite: TableSuite,
    *,
    previous: duckdb.DuckDBPyConnection | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    frames: GxFrames | None = None,
    ledger: BatchLedger | None = None,
) -> ValidationReport:
    """Validate `suite` on `con` (the build); `previous` is the published warehouse, if any.

    With `ledger`, a batched suite's row-level part skips batches already validated under it and
    records the batches it validated (which writes to `con`); without, every current row is judged.
    """
    started = time.perf_counter()
    frames = frames or GxFrames()
    outcomes: list[Outcome] = []
    gx_results: list[dict] = []
    for reduction in suite.reductions:
        merged = _run_reduction(con, previous, reduction, frames)
        outcomes += merged.outcomes(reduction.name)
        gx_results += merged.gx_result(reduction.suite.name)
    plan = plan_batches(con, suite, ledger) if ledger and suite.batch_column else None
    merged, row_count, chunks = _run_rows(con, suite, frames, chunk_rows, plan)
    row_outcomes = merged.outcomes(ROWS)
    if plan is not None and _vouches_for_rows(row_outcomes):
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


def _vouches_for_rows(outcomes: list[Outcome]) -> bool:
    """Every row-level expectation was evaluated and none with ERROR failed (a WARN stays in this
    run's report). Counts are summed over chunks mixing batches, so one ERROR leaves every new batch
    unrecorded: it is judged again next time, never wrongly skipped."""
    return not any(o.error or (not o.success and o.severity == "ERROR") for o in outcomes)


def _run_rows(
    con: duckdb.DuckDBPyConnection,
    suite: TableSuite,
    frames: GxFrames,
    chunk_rows: int,
    plan: BatchPlan | None,
) -> tuple[_Merged, int, int]:
    merged = _Merged(suite.rows)
    rows_sql = plan.pending_sql if plan else None
    try:
        available = set(con.sql(f"SELECT * FROM {suite.relation} LIMIT 0").columns)
        reader = con.execute(suite.stream_sql(available, rows_sql)).to_arrow_reader(chunk_rows)
    except duckdb.Error as exc:
        merged.fail(str(exc).splitlines()[0])
        return merged, 0, 0
    row_count = chunks = 0
    for frame in _frames(reader):
        row_count += len(frame)
        chunks += 1
        merged.add(frames.validate(frame, suite.rows, suite.id_columns))
        log.debug("%s: chunk %d, %d rows so far", suite.name, chunks, row_count)
    return merged, row_count, chunks


def _frames(reader: pa.RecordBatchReader) -> Iterator[pd.DataFrame]:
    """Each record batch as a pandas frame; an empty table still yields one (empty) frame so every
    expectation gets a verdict."""
    empty = True
    for batch in reader:
        empty = False
        yield batch.to_pandas()
    if empty:
        yield reader.schema.empty_table().to_pandas()


def _run_reduction(
    con: duckdb.DuckDBPyConnection,
    previous: duckdb.DuckDBPyConnection | None,
    reduction: Reduction,
    frames: GxFrames,
) -> _Merged:
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
        frame = con.sql(reduction.sql).df()
    except duckdb.Error as exc:
        merged.fail(str(exc).splitlines()[0])
        return merged
    finally:
        if registered:
            con.unregister(PREVIOUS_VIEW)
    merged.add(frames.validate(frame, reduction.suite, reduction.id_columns))
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

    def add(self, result: ExpectationSuiteValidationResult) -> None:
        # GX groups results by metric, not in suite order: match each to its expectation.
        waiting: dict[str, list[_Tally]] = {}
        for tally in self.tallies:
            waiting.setdefault(_key(tally.config), []).append(tally)
        for evr in result.results:
            _accumulate(waiting[_key(evr.expectation_config)].pop(0), evr)

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
            meta={"batch_spec": {"data_asset_name": name, "engine": "duckdb (chunked) + gx pandas"}},
        )
        return [suite_result.to_json_dict()]


def _key(config: Any) -> str:
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    return json.dumps([config.type, kwargs, str(config.severity), config.notes], sort_keys=True, default=str)


def _accumulate(tally: _Tally, evr: ExpectationValidationResult) -> None:
    result = evr.result or {}
    tally.success = tally.success and bool(evr.success)
    tally.element_count += int(result.get("element_count") or 0)
    tally.unexpected_count += int(result.get("unexpected_count") or 0)
    tally.missing_count += int(result.get("missing_count") or 0)
    error = _exception_message(evr.exception_info)
    if error and tally.error is None:
        tally.error = error
    room = MAX_EXAMPLES - len(tally.examples)
    if room > 0 and not evr.success:
        tally.examples += _examples(result, column_label(tally.config.kwargs))[:room]


def _exception_message(info: dict | None) -> str | None:
    """GX reports either one {raised_exception, exception_message} or one such dict per metric."""
    if not info:
        return None
    candidates = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            return str(candidate.get("exception_message") or "exception")
    return None


def _examples(result: dict, column: str | None) -> list[dict]:
    """Unexpected values with their row identifiers: {'value': ..., '_source_file': ..., ...}."""
    columns = column.split(", ") if column else []
    indexed = result.get("partial_unexpected_index_list")
    if indexed and isinstance(indexed[0], dict):
        out = []
        for entry in indexed:
            values = [_plain(entry.get(c)) for c in columns]
            ids = {k: _plain(v) for k, v in entry.items() if k not in columns}
            out.append({"value": values[0] if len(values) == 1 else values, **ids})
        return out
    return [{"value": _plain(v)} for v in result.get("partial_unexpected_list") or []]


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN/NaT to None, timestamps to ISO text, tuples to lists."""
    if value is pd.NaT or value is pd.NA:
        return None
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        value = value.tolist()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


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
        k: (_plain(v) if not isinstance(v, (str, int, bool, type(None))) else v) for k, v in values.items()
    }

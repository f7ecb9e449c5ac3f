"""`audit.validated_batches`: the raw batches whose current rows already passed the row-level suite.

Why such rows need not be judged again: raw tables are append-only and every load gets a fresh batch
id (uuid), so the current rows of a batch can only shrink as newer batches supersede them, and each
row-level expectation judges a row on its own. Rows that passed a suite pass it again, so a refresh
streams through GX only the batches with no record for this suite (one new file, not 10M rows).

A record also vouches for the per-batch reductions (keys unique within the batch, spec.Reduction):
a batch is recorded only when it passed them too, so they reduce only the batches not recorded.

A record is keyed by the suite's fingerprint: everything that decides a row's verdict (expectation
types, arguments including the value sets that carry the reference data, severities, the SQL of the
rows, of derived columns and of the per-batch reductions, the GX version). Changing any of it
re-validates every batch.

The ledger lives in the warehouse file whose rows it vouches for: a build, copied from the published
version, carries exactly the records of the rows it holds, and a run that does not publish takes its
records with it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import great_expectations as gx

from pipelines.quality.reductions import sql_literal
from pipelines.quality.report import BatchCoverage
from pipelines.quality.spec import TableSuite

LEDGER = "audit.validated_batches"
LEDGER_DDL = f"""
CREATE TABLE IF NOT EXISTS {LEDGER} (
    table_name VARCHAR,         -- the suite, e.g. raw.equipment_inventory
    batch_id VARCHAR,
    suite_fingerprint VARCHAR,  -- see suite_fingerprint()
    rows BIGINT,                -- current rows of the batch that were validated
    validated_at TIMESTAMP,     -- UTC
    run_id VARCHAR
)
"""

# Up to this many pending batches are named in the rows' SQL (see _pending_sql).
MAX_NAMED_BATCHES = 64

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchLedger:
    """How one validation uses the ledger: the run that records, and whether earlier records count."""

    run_id: str
    revalidate_all: bool = False  # VETDX_REVALIDATE=all


@dataclass(frozen=True)
class BatchPlan:
    """A batched suite's current rows, by batch: those to validate now and those already validated."""

    suite: str
    fingerprint: str
    run_id: str  # the run that records the pending batches once they pass
    pending_sql: str  # the current rows of the pending batches
    pending: dict[str | None, int]  # batch id -> current rows (None: rows without a batch id)
    done: dict[str, int]

    def coverage(self) -> BatchCoverage:
        return BatchCoverage(
            new_batches=len(self.pending),
            skipped_batches=len(self.done),
            skipped_rows=sum(self.done.values()),
        )


def suite_fingerprint(suite: TableSuite) -> str:
    """sha256 of what decides a row's verdict; the same in every process (no ids, sorted keys)."""
    content = {
        "gx": gx.__version__,
        # Suite order does not change a verdict: sorted, so reordering the code re-validates nothing.
        "expectations": sorted(map(_expectation_text, _configs(suite.rows))),
        "derived": suite.derived,
        "rows_sql": suite.rows_sql,
        # A record also vouches that the batch passed the per-batch reductions (unique keys).
        "per_batch": sorted(
            json.dumps(
                [r.name, r.per_batch_sql("<rows>"), *sorted(map(_expectation_text, _configs(r.suite)))]
            )
            for r in suite.reductions
            if r.per_batch_sql
        ),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def plan_batches(con: duckdb.DuckDBPyConnection, suite: TableSuite, ledger: BatchLedger) -> BatchPlan | None:
    """Split the current rows by whether their batch is recorded for this suite; None when the split
    fails (read-only connection, missing batch column): every row is then judged, as without a ledger."""
    fingerprint = suite_fingerprint(suite)
    done_sql = _done_sql(suite.name, fingerprint, ledger.revalidate_all)
    try:
        # The build may be a copy of a warehouse published before the ledger existed.
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute(LEDGER_DDL)
        counts = con.execute(_counts_sql(suite, done_sql)).fetchall()
    except duckdb.Error as exc:
        log.warning("%s: cannot split rows by batch, validating all: %s", suite.name, exc)
        return None
    return BatchPlan(
        suite=suite.name,
        fingerprint=fingerprint,
        run_id=ledger.run_id,
        pending_sql=_pending_sql(suite, done_sql, [batch for batch, _, done in counts if not done]),
        pending={batch: rows for batch, rows, done in counts if not done},
        done={batch: rows for batch, rows, done in counts if done},
    )


def record_batches(con: duckdb.DuckDBPyConnection, plan: BatchPlan) -> None:
    """Record the plan's pending batches as validated; call only when their rows passed.

    One row per validation: a forced re-validation adds a row rather than replacing the first.
    """
    # Rows without a batch id cannot be keyed (and fail the lineage not-null expectation anyway).
    batches = {batch: rows for batch, rows in plan.pending.items() if batch is not None}
    if not batches:
        return
    validated_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute(
        f"INSERT INTO {LEDGER} SELECT ?, unnest(?), ?, unnest(?), ?, ?",
        [plan.suite, list(batches), plan.fingerprint, list(batches.values()), validated_at, plan.run_id],
    )


def _configs(suite: gx.ExpectationSuite) -> list[Any]:
    return [e.configuration for e in suite.expectations]


def _expectation_text(config: Any) -> str:
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    if isinstance(kwargs.get("value_set"), list):
        # A value set built from a Python set has a per-process order; membership has none.
        kwargs["value_set"] = sorted(kwargs["value_set"], key=repr)
    return json.dumps([config.type, kwargs, str(config.severity)], sort_keys=True, default=str)


def _done_sql(suite: str, fingerprint: str, revalidate_all: bool) -> str:
    """The batches recorded for this suite and fingerprint (none when every batch must be redone)."""
    if revalidate_all:
        return "SELECT CAST(NULL AS VARCHAR) AS batch_id WHERE false"
    return (
        f"SELECT DISTINCT batch_id FROM {LEDGER} WHERE table_name = {sql_literal(suite)} "
        f"AND suite_fingerprint = {sql_literal(fingerprint)}"
    )


def _counts_sql(suite: TableSuite, done_sql: str) -> str:
    column = suite.batch_column
    return f"""
        SELECT _rows.{column} AS batch_id, count(*) AS rows, _done.batch_id IS NOT NULL AS done
        FROM ({suite.rows_sql}) AS _rows
        LEFT JOIN ({done_sql}) AS _done ON _rows.{column} = _done.batch_id
        GROUP BY ALL
    """


def _pending_sql(suite: TableSuite, done_sql: str, pending: list[str | None]) -> str:
    """The current rows of the pending batches.

    The anti join decides; with few pending batches their ids are also named, a filter DuckDB
    pushes into the table scan, where each row group's min/max of the batch id skips the groups of
    other batches: a one-file change reads that file's rows, not every row once per query (the row
    stream and both sides of the unique-key reduction). An anti join keeps rows whose batch id is
    NULL: they are judged (and fail) every time.
    """
    column = suite.batch_column
    named = ""
    if len(pending) <= MAX_NAMED_BATCHES:
        ids = [sql_literal(b) for b in pending if b is not None]
        keep = [f"_rows.{column} IN ({', '.join(ids)})"] if ids else []
        keep += [f"_rows.{column} IS NULL"] if None in pending else []
        named = f"WHERE {' OR '.join(keep) or 'false'}"
    return f"""
        SELECT _rows.* FROM ({suite.rows_sql}) AS _rows
        ANTI JOIN ({done_sql}) AS _done ON _rows.{column} = _done.batch_id
        {named}
    """

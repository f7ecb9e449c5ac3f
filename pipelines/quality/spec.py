"""The shape of a quality suite: GX expectations plus the DuckDB SQL that feeds them.

A `TableSuite` has two parts, because GX cannot hold a 10M-row table in pandas at once and its SQL
datasource returns no metrics on DuckDB (duckdb-engine: "list index out of range"):

- `rows`: row-level (map) expectations, evaluated by GX on the distinct keys of the rows of
  `rows_sql` weighted by their row counts (grouped.py), or chunk by chunk on the rows themselves.
  Each row is judged on its own, so summing the keys' or the chunks' counts gives the whole
  table's answer.
- `reductions`: set-level questions (unique keys, completeness, row counts against the previous
  version, catalogue consistency). DuckDB first reduces the table to a small frame (one row per
  duplicated key, per country, per catalogue parent); GX then evaluates row-level expectations on
  that frame, so "every country has a row" becomes "every row of the country frame says present".

Severity lives on each GX expectation (`severity`, GX >= 1.5): CRITICAL is reported as ERROR and
blocks downstream assets, WARNING is reported as WARN and only recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

ERROR = FailureSeverity.CRITICAL
WARN = FailureSeverity.WARNING
SEVERITY_LABEL: dict[FailureSeverity, str] = {
    FailureSeverity.CRITICAL: "ERROR",
    FailureSeverity.WARNING: "WARN",
    FailureSeverity.INFO: "INFO",
}

# Expectations whose verdict on a row depends on that row alone: the only ones that may run on
# chunks. (ExpectColumnValuesToBeUnique is a map expectation too, but a per-chunk verdict would miss
# duplicates in different chunks, so uniqueness is always a reduction.)
CHUNKABLE: tuple[type[gxe.Expectation], ...] = (
    gxe.ExpectColumnValuesToNotBeNull,
    gxe.ExpectColumnValuesToBeNull,
    gxe.ExpectColumnValuesToBeBetween,
    gxe.ExpectColumnValuesToBeInSet,
    gxe.ExpectColumnValuesToNotBeInSet,
    gxe.ExpectColumnValuesToMatchRegex,
    gxe.ExpectColumnValuesToNotMatchRegex,
    gxe.ExpectColumnValueLengthsToBeBetween,
    gxe.ExpectColumnPairValuesAToBeGreaterThanB,
    gxe.ExpectColumnPairValuesToBeEqual,
)

# Identifies previous-version rows registered into the build connection for a reduction.
PREVIOUS_VIEW = "_quality_previous"


@dataclass(frozen=True)
class Reduction:
    """A set-level check: `sql` (run on the build) reduces the table to a small frame for `suite`.

    With `previous_sql`, the same kind of query runs on the previously published warehouse first and
    its (small) result is visible to `sql` as the view PREVIOUS_VIEW; without a published version the
    reduction is skipped and reported as such.

    With `per_batch_sql` (the same reduction over given rows), the reduction is per batch: a batch's
    verdict depends on its own rows alone, and it stays passing when its current rows shrink (keys
    unique within a batch stay unique in a subset). Its verdict on all rows is then its verdict on
    the batches not validated yet, and a batch is recorded as validated only when it passed this
    reduction too (runner, batches.py): a one-file change reduces that file, not 10M rows.
    """

    name: str
    sql: str
    suite: gx.ExpectationSuite
    id_columns: tuple[str, ...] = ()
    previous_sql: str | None = None
    per_batch_sql: Callable[[str], str] | None = None


@dataclass(frozen=True)
class TableSuite:
    name: str  # e.g. raw.equipment_inventory
    relation: str  # schema-qualified table the suite describes
    rows_sql: str  # the rows to judge (raw: the current version of each version key)
    rows: gx.ExpectationSuite
    id_columns: tuple[str, ...] = ()  # shown next to each example (file + row for raw tables)
    derived: dict[str, str] = field(default_factory=dict)  # extra columns computed by DuckDB: name -> SQL
    condition_columns: tuple[str, ...] = ()  # columns only read by row_conditions
    reductions: tuple[Reduction, ...] = ()
    # The load batch each row came from (raw: `_batch_id`): rows of a batch already validated under
    # the same suite are not judged again (see batches.py). None: every row is judged every time.
    batch_column: str | None = None

    def __post_init__(self) -> None:
        for expectation in self.rows.expectations:
            if not isinstance(expectation, CHUNKABLE):
                raise TypeError(f"{self.name}: {expectation.expectation_type} cannot run on chunks")

    def stream_sql(self, available: set[str], rows_sql: str | None = None) -> str:
        """Only the columns the expectations read leave DuckDB: a 10-column table streams 3-4.

        `rows_sql` narrows the suite's rows (e.g. to the batches not validated yet); default: its own.
        """
        wanted: list[str] = []
        for name in (*self.id_columns, *self.condition_columns, *_columns_of(self.rows)):
            if name not in wanted and name not in self.derived and name in available:
                wanted.append(name)
        select = [quote_identifier(c) for c in wanted] + [
            f"{sql} AS {quote_identifier(c)}" for c, sql in self.derived.items()
        ]
        return f"SELECT {', '.join(select) or '1 AS _none'} FROM ({rows_sql or self.rows_sql}) AS _rows"


def expectation_columns(kwargs: dict) -> tuple[str, ...]:
    """The columns an expectation reads: ('quantity',) or ('quantity', 'in_working_order')."""
    if "column" in kwargs:
        return (str(kwargs["column"]),)
    if "column_A" in kwargs:
        return (str(kwargs["column_A"]), str(kwargs["column_B"]))
    return tuple(kwargs.get("column_list") or ())


def column_label(kwargs: dict) -> str | None:
    """The column(s) an expectation reads, as one label: 'quantity' or 'quantity, in_working_order'."""
    return ", ".join(expectation_columns(kwargs)) or None


def _columns_of(suite: gx.ExpectationSuite) -> list[str]:
    return [c for e in suite.expectations for c in expectation_columns(e.configuration.kwargs)]


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

"""What a validation found, in a form Dagster metadata, JSON files and people can all read."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MAX_EXAMPLES = 20


@dataclass
class Outcome:
    """One expectation's verdict over the whole table (all chunks merged)."""

    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_between
    column: str | None
    severity: str  # ERROR | WARN
    success: bool
    unexpected_count: int
    element_count: int
    scope: str  # "rows" (every row, in chunks) or the name of the reduction that fed it
    kwargs: dict = field(default_factory=dict)  # the expectation's other arguments (bounds, sets)
    examples: list[dict] = field(default_factory=list)  # up to MAX_EXAMPLES, with row identifiers
    error: str | None = None  # the expectation could not be evaluated (missing column, SQL error)
    skipped: str | None = None  # why it was not evaluated at all (e.g. no published version)

    def line(self) -> str:
        where = f" on {self.column}" if self.column else ""
        if self.error:
            found = f"could not be evaluated: {self.error}"
        else:
            found = f"{self.unexpected_count} of {self.element_count} {_unit(self.scope)} unexpected"
        examples = "; ".join(_example_text(e) for e in self.examples[:MAX_EXAMPLES])
        return f"{self.severity} {self.expectation}{where} [{self.scope}]: {found}" + (
            f". Examples: {examples}" if examples else ""
        )


@dataclass(frozen=True)
class BatchCoverage:
    """Batched (raw) suites: current rows skipped because their batch passed this suite before."""

    new_batches: int  # batches whose current rows were validated in this run (row_count rows)
    skipped_batches: int
    skipped_rows: int


@dataclass
class ValidationReport:
    suite: str
    relation: str
    row_count: int  # rows the row-level expectations judged in this run
    chunks: int
    seconds: float
    outcomes: list[Outcome]
    gx_results: list[dict] = field(default_factory=list)  # GX suite validation results (JSON), for Data Docs
    batches: BatchCoverage | None = None  # None: every current row was judged (marts, no ledger)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and not o.skipped]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def blocking(self) -> bool:
        return any(o.severity == "ERROR" for o in self.failures)

    @property
    def severity(self) -> str | None:
        """ERROR if an ERROR expectation failed, WARN if only WARN ones did, None if all passed."""
        if self.blocking:
            return "ERROR"
        return "WARN" if self.failures else None

    def counts(self) -> dict[str, int]:
        failures = self.failures
        counts = {
            "expectations": len(self.outcomes),
            "failed": len(failures),
            "failed_error": sum(o.severity == "ERROR" for o in failures),
            "failed_warn": sum(o.severity == "WARN" for o in failures),
            "skipped": sum(bool(o.skipped) for o in self.outcomes),
            "rows": self.row_count,
            "rows_skipped": self.batches.skipped_rows if self.batches else 0,
            "chunks": self.chunks,
        }
        if self.batches:
            counts["batches_validated"] = self.batches.new_batches
            counts["batches_skipped"] = self.batches.skipped_batches
        return counts

    def coverage(self) -> str:
        """Rows judged in this run, and for batched suites the rows skipped as already validated."""
        validated = f"validated {self.row_count:,} rows"
        if self.batches is None:
            return validated
        text = f"{validated} of {_count(self.batches.new_batches, 'new batch', 'new batches')}"
        if self.batches.skipped_batches:
            batches = _count(self.batches.skipped_batches, "batch", "batches")
            text += f"; {self.batches.skipped_rows:,} rows of {batches} already validated under this suite"
        return text

    def message(self) -> str:
        if self.passed:
            return f"{self.suite}: all {len(self.outcomes)} expectations passed ({self.coverage()})."
        c = self.counts()
        head = (
            f"{self.suite}: {c['failed']} expectation(s) failed "
            f"({c['failed_error']} ERROR, {c['failed_warn']} WARN); {self.coverage()}."
        )
        return "\n".join([head, *(f"- {o.line()}" for o in self.failures)])

    def markdown(self) -> str:
        lines = [
            f"{self.coverage().capitalize()}.",
            "",
            "| severity | expectation | column | scope | unexpected | of | examples |",
            "|---|---|---|---|---|---|---|",
        ]
        for o in self.failures:
            examples = "; ".join(_example_text(e) for e in o.examples[:5]).replace("|", "/")
            found = "error: " + o.error.replace("|", "/")[:200] if o.error else str(o.unexpected_count)
            lines.append(
                f"| {o.severity} | {o.expectation} | {o.column or ''} | {o.scope} | {found} "
                f"| {o.element_count} | {examples} |"
            )
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {**asdict(self), "passed": self.passed, "severity": self.severity, "counts": self.counts()}

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.suite}.json"
        path.write_text(json.dumps(self.to_json(), indent=1, default=str), encoding="utf-8")
        return path


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _unit(scope: str) -> str:
    return "rows" if scope == "rows" else f"{scope} rows"


def _example_text(example: dict) -> str:
    value = example.get("value")
    ids = ", ".join(f"{k}={v}" for k, v in example.items() if k != "value")
    return f"{value!r} ({ids})" if ids else repr(value)

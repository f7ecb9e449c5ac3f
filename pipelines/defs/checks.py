"""Great Expectations suites as blocking Dagster asset checks on `raw/<table>` and `marts/<model>`.

Each check validates its suite against this run's build of the warehouse (the published version is
the baseline for row counts; raw checks judge only rows of batches not validated yet, see
quality/batches.py), writes the report as JSON into the run's quality folder (rendered into
Data Docs at publish time) and fails with severity ERROR when an ERROR expectation failed, which
stops every downstream asset, or WARN when only WARN expectations did, which is recorded only.
"""

from collections.abc import Callable

import dagster as dg

from pipelines.defs.resources import RefreshRun
from pipelines.ingest.schemas import RAW_TABLES
from pipelines.quality.batches import BatchLedger
from pipelines.quality.mart_suites import MART_COLUMNS, mart_suite
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import Reference
from pipelines.quality.report import ValidationReport
from pipelines.quality.runner import validate
from pipelines.quality.spec import TableSuite

SuiteBuilder = Callable[[str, Reference], TableSuite]


def report_to_check_result(report: ValidationReport) -> dg.AssetCheckResult:
    severity = dg.AssetCheckSeverity.ERROR if report.blocking else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(
        passed=report.passed,
        severity=severity,
        description=report.message()[:4000],  # the event log keeps the full report in metadata
        metadata={
            **report.counts(),
            "seconds": report.seconds,
            "failures": dg.MetadataValue.md(report.markdown() if not report.passed else "none"),
        },
    )


def build_gx_check(layer: str, name: str, build_suite: SuiteBuilder) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([layer, name]),
        name=f"gx_{name}",
        blocking=True,
        description=f"Great Expectations suite {layer}.{name} (ERROR blocks downstream, WARN is recorded).",
    )
    def _check(context: dg.AssetCheckExecutionContext, refresh_run: RefreshRun) -> dg.AssetCheckResult:
        ledger = BatchLedger(run_id=refresh_run.run_id, revalidate_all=refresh_run.revalidate_all)
        suite = build_suite(name, refresh_run.reference)  # the run's seeds, read once at its setup
        with refresh_run.connect_build() as con, refresh_run.warehouse.connect_published() as previous:
            report = validate(con, suite, previous=previous, ledger=ledger)
        path = report.write(refresh_run.quality_dir())
        context.log.info(f"{report.message().splitlines()[0]} Report: {path.name}")
        return report_to_check_result(report)

    return _check


def build_gx_asset_checks() -> list[dg.AssetChecksDefinition]:
    return [
        *(build_gx_check("raw", table, raw_suite) for table in RAW_TABLES),
        *(build_gx_check("marts", model, mart_suite) for model in MART_COLUMNS),
    ]


gx_asset_checks: list[dg.AssetChecksDefinition] = build_gx_asset_checks()

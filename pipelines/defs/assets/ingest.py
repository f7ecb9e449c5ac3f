"""Ingest assets: one per source folder under the raw root, each landing its tables in schema `raw`.

Thin on purpose: parsing lives in `pipelines.ingest.parse`, landing in `pipelines.ingest.landing.loader`.
Only files whose path and content the warehouse has not seen are parsed, so dropping one new file
into `data/raw/` and refreshing loads only that file.
"""

import json
from collections.abc import Iterator

import dagster as dg

from pipelines.defs.assets.seeds import seed_key
from pipelines.defs.resources import RefreshRun
from pipelines.faults import crash_point
from pipelines.ingest.context import SEEDS_READ_BY_PARSERS
from pipelines.ingest.landing.loader import FileOutcome, SourceSummary, ingest_source
from pipelines.ingest.landing.parallel import FileParser
from pipelines.ingest.schemas import RAW_TABLES, SOURCES
from pipelines.run_events import PROGRESS_PREFIX, PROGRESS_TOTAL_PREFIX

_DESCRIPTIONS = {
    "survey": "Survey exports (KoboToolbox, ODK, LimeSurvey, plain CSV/XLSX) from data/raw/survey/.",
    "institutions": "Ministry counts of institutions, students and teachers from data/raw/institutions/.",
    "inventory": "Equipment inventories and connectivity of VET institutions from data/raw/inventory/.",
    "official": "Official indicator series (tidy long, World Bank DataBank wide) from data/raw/official/.",
}


def _file_table(files: list[FileOutcome]) -> dg.MetadataValue:
    lines = ["| file | status | read | landed | quarantined | message |", "|---|---|---|---|---|---|"]
    for f in files[:200]:
        message = (f.message or "").replace("|", "/")[:200]
        lines.append(
            f"| {f.source_file} | {f.status} | {f.rows_read} | {f.rows_landed} "
            f"| {f.rows_quarantined} | {message} |"
        )
    return dg.MetadataValue.md("\n".join(lines))


def build_ingest_asset(source: str) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            dg.AssetKey(["raw", table]),
            group_name="ingest",
            kinds={"polars", "duckdb"},
            description=f"{_DESCRIPTIONS[source]} Table raw.{table}; rejected rows in quarantine.{table}.",
            deps=[seed_key(name) for name in SEEDS_READ_BY_PARSERS],
        )
        for table in SOURCES[source]
    ]

    @dg.multi_asset(name=f"ingest_{source}", specs=specs)
    def _ingest(context: dg.AssetExecutionContext, refresh_run: RefreshRun) -> Iterator[dg.MaterializeResult]:
        source_files = refresh_run.source_files
        parse = FileParser(refresh_run.parse_context)

        def log(outcome: FileOutcome) -> None:
            level = context.log.warning if outcome.status == "rejected" else context.log.info
            level(
                f"{PROGRESS_PREFIX}{outcome.source_file}: {outcome.status}, {outcome.rows_landed} landed, "
                f"{outcome.rows_quarantined} quarantined"
                + (f" - {outcome.message}" if outcome.message else "")
            )

        with refresh_run.connect_build() as con:
            summary: SourceSummary = ingest_source(
                con,
                source_files.raw_path,
                source,
                parse,
                on_file=log,
                configured_workers=source_files.ingest_workers,
                on_start=lambda new: context.log.info(f"{PROGRESS_TOTAL_PREFIX}{new} new files in {source}/"),
            )
            totals = {
                table: con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
                for table in SOURCES[source]
            }
        crash_point("ingest_done")
        drift = sorted({c for f in summary.files for c in f.unknown_columns})
        for table in SOURCES[source]:
            yield dg.MaterializeResult(
                asset_key=dg.AssetKey(["raw", table]),
                metadata={
                    "files_new": summary.count("loaded"),
                    "files_rejected": summary.count("rejected"),
                    "files_duplicate": summary.count("duplicate"),
                    "rows_landed_this_run": summary.rows_landed,
                    "rows_quarantined_this_run": summary.rows_quarantined,
                    "dagster/row_count": totals[table],
                    "unknown_columns": dg.MetadataValue.json(json.loads(json.dumps(drift))),
                    "files": _file_table(summary.files),
                    "natural_key": ", ".join(RAW_TABLES[table].natural_key),
                },
            )

    return _ingest


ingest_assets = [build_ingest_asset(source) for source in SOURCES]


@dg.asset(
    key=dg.AssetKey(["audit", "loads"]),
    deps=[dg.AssetKey(["raw", tables[0]]) for tables in SOURCES.values()],
    group_name="ingest",
    kinds={"duckdb"},
    description="One row per file ever offered to the warehouse: loaded, rejected (with why) or duplicate.",
)
def audit_loads(refresh_run: RefreshRun) -> dg.MaterializeResult:
    """Written by the ingest steps file by file; this step reads back what the run recorded."""
    with refresh_run.connect_build() as con:
        by_status = dict(
            con.execute("SELECT status, count(*) FROM audit.loads GROUP BY status ORDER BY status").fetchall()
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(by_status.values()),
            "files_by_status": dg.MetadataValue.json(by_status),
        }
    )

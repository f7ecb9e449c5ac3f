"""Publish the checked build as the warehouse analysts read, then write the export set from it.

Blocking asset checks (Great Expectations suites and dbt tests) sit upstream of `published_warehouse`:
a failed ERROR check skips this step, so the published file stays exactly as it was.
"""

import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.assets.dbt import catalogue_dir, mart_keys
from pipelines.defs.resources import ExportsResource, RefreshRun
from pipelines.faults import crash_point
from pipelines.labels import data_label_for
from pipelines.publish.record import record_version
from pipelines.publish.store import new_version_id


def _check_results(context: dg.AssetExecutionContext) -> list[dict]:
    """Every asset check evaluated in this run, as recorded by Dagster."""
    records = context.instance.all_logs(
        context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    )
    results = []
    for record in records:
        evaluation = record.dagster_event.event_specific_data
        description = evaluation.description or ""
        results.append(
            {
                "check": evaluation.check_name,
                "asset": evaluation.asset_key.to_user_string(),
                "passed": bool(evaluation.passed),
                "severity": evaluation.severity.value,
                "description": description[:2000],
            }
        )
    return sorted(results, key=lambda r: (r["asset"], r["check"]))


def _copy_whole(source: Path, target: Path) -> None:
    """Copy under a temporary name, then rename: a kill -9 mid-copy leaves no cut page."""
    staged = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, staged)
    os.replace(staged, target)


def refuse_personal_data(build: Path) -> None:
    """The last gate before analysts see a build: no e-mail address or phone number in clear in any text
    column (ingest redacts them; this catches what a new file shape slipped past it). The whole build
    is scanned every time, not only what is new: dbt rebuilds its tables, so "unchanged since the last
    version" is not known per table, and the full scan is cheap (DuckDB's regex on each column's
    distinct values, then Python confirms the candidates): 4.8-6.2 s for a 10.3M-row build, most of
    the publish step's time, where it took 27-30 s."""
    from pipelines.quality.pii_scan import scan_warehouse

    findings = scan_warehouse(build)
    if findings:
        listed = "; ".join(f.render() for f in findings[:10])  # examples are masked
        raise dg.Failure(
            f"not publishing: personal data in clear in {len(findings)} place(s): {listed}"
            " (`vetdx audit-pii` lists them; the published warehouse is unchanged)"
        )


@dg.asset(
    key="published_warehouse",
    deps=mart_keys(),
    group_name="publish",
    kinds={"duckdb"},
    description="The warehouse analysts read (warehouse/vetdx.duckdb), replaced whole by a checked build.",
)
def published_warehouse(context: dg.AssetExecutionContext, refresh_run: RefreshRun) -> dg.MaterializeResult:
    crash_point("publish_started")
    checks = _check_results(context)
    blocking = [c for c in checks if not c["passed"] and c["severity"] == "ERROR"]
    if blocking:  # blocking checks already stop this step; this guards a run that bypassed them
        names = ", ".join(f"{c['asset']}:{c['check']}" for c in blocking)
        raise dg.Failure(f"not publishing: {len(blocking)} ERROR check(s) failed: {names}")
    store = refresh_run.warehouse.store
    build = refresh_run.build
    if not store.published.exists():
        with duckdb.connect(str(build), read_only=True) as con:
            # no audit.loads at all: a run that materialised publish alone, with no ingest before it
            audited = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'audit'"
                " AND table_name = 'loads'"
            ).fetchone()[0]
            loaded = (
                audited
                and con.execute("SELECT count(*) FROM audit.loads WHERE status = 'loaded'").fetchone()[0]
            )
        if not loaded:
            raw = refresh_run.source_files.raw_dir
            raise dg.Failure(
                f"not publishing: nothing is published yet and no file under {raw} loaded,"
                " so this would publish an empty warehouse"
            )
    refuse_personal_data(build)
    version_id = new_version_id(refresh_run.run_id)
    label = data_label_for(refresh_run.source_files.raw_path)
    with duckdb.connect(str(build)) as con:
        facts = record_version(con, version_id, refresh_run.run_id, label, checks)
    crash_point("version_recorded")
    catalogue = catalogue_dir(build) / "static_index.html"
    if catalogue.exists():  # kept beside the version, so every export of it can carry it
        store.versions_dir.mkdir(parents=True, exist_ok=True)
        _copy_whole(catalogue, store.catalogue_path(version_id))
    store.publish(refresh_run.run_id, version_id, facts, keep=refresh_run.warehouse.keep_versions)

    from pipelines.quality.docs import render_data_docs

    docs = render_data_docs(refresh_run.quality_dir())
    warnings = [c for c in checks if not c["passed"]]
    return dg.MaterializeResult(
        metadata={
            "version": version_id,
            "published_file": dg.MetadataValue.path(str(store.published)),
            "data_docs": dg.MetadataValue.path(str(docs)),
            "checks_passed": sum(c["passed"] for c in checks),
            "checks_failed_warn": len(warnings),
            "data_label": label or "",
        }
    )


@dg.asset(
    deps=[published_warehouse],
    group_name="publish",
    kinds={"excel", "parquet", "csv"},
    description="COMCEC export set of the published version: workbook, CSV, Parquet, charts, profiles.",
)
def exports(
    context: dg.AssetExecutionContext, refresh_run: RefreshRun, exports: ExportsResource
) -> dg.MaterializeResult:
    from pipelines.exports.build import export_languages

    crash_point("exports_started")
    store = refresh_run.warehouse.store
    version = store.current_version()
    if version is None:
        raise dg.Failure("nothing is published yet, so there is nothing to export")
    out_dir = exports.path / version
    results = export_languages(
        store.published,
        out_dir,
        version=version,
        langs=exports.langs,
        manifest_extra={"run_id": context.run.run_id},
    )
    files = sum(len(result.files) for result in results)
    catalogue = store.catalogue_path(version)
    if catalogue.exists():
        (out_dir / "catalogue").mkdir(exist_ok=True)
        _copy_whole(catalogue, out_dir / "catalogue" / "index.html")
    return dg.MaterializeResult(
        metadata={
            "version": version,
            "folder": dg.MetadataValue.path(str(out_dir)),
            "files": files,
            "files_reused": sum(result.reused for result in results),  # copied from an earlier set
            "languages": ", ".join(exports.langs),
        }
    )

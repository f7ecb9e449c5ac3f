"""The refresh job, its monthly schedule and the sensor on the raw folder."""

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.resources import SourceFilesResource, WarehouseResource
from pipelines.hashing import sha256_of
from pipelines.ingest.landing.loader import discover_files
from pipelines.ingest.schemas import SOURCES

# DuckDB allows one writer per file and every step writes the same build, so a refresh runs its
# steps one after another in one process, whose resources (the run's lock and build) live for the
# whole run; dagster.yaml also queues launched runs one at a time.
refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest new files, build the dbt models, run every check, publish, export.",
)


def refresh_schedule(cron: str) -> dg.ScheduleDefinition:
    """A schedule's cron is part of its definition: it comes from the Settings the code location
    was loaded with (`VETDX_REFRESH_CRON`, default the 1st of each month at 05:00 UTC)."""
    return dg.ScheduleDefinition(
        name="monthly_benchmark_refresh",
        job=refresh_job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    )


def _loaded_files(warehouse: Path) -> set[tuple[str, str]]:
    if not warehouse.exists():
        return set()
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return set(con.execute("SELECT source_file, sha256 FROM audit.loads").fetchall())
    except duckdb.CatalogException:
        return set()


def pending_files(raw_dir: Path, warehouse: Path, hash_cache: dict[str, list]) -> list[tuple[str, str]]:
    """Files under the raw folder whose (path, sha256) the published warehouse has not seen.

    `hash_cache` maps path -> [mtime_ns, size, sha256] so unchanged large files are not re-hashed
    at every tick.
    """
    loaded = _loaded_files(warehouse)
    pending = []
    for source in SOURCES:
        for path in discover_files(raw_dir, source):
            display = path.relative_to(raw_dir).as_posix()
            stat = path.stat()
            cached = hash_cache.get(display)
            if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
                digest = cached[2]
            else:
                digest = sha256_of(path)
                hash_cache[display] = [stat.st_mtime_ns, stat.st_size, digest]
            if (display, digest) not in loaded:
                pending.append((display, digest))
    return sorted(pending)


@dg.sensor(
    name="raw_files_sensor",
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Refreshes when new or changed files appear in the raw folder (run key = content hashes).",
)
def raw_files_sensor(
    context: dg.SensorEvaluationContext, source_files: SourceFilesResource, warehouse: WarehouseResource
) -> dg.SensorResult | dg.SkipReason:
    """Watches the very folder the ingest assets read: both come from the same resource."""
    cache = json.loads(context.cursor) if context.cursor else {}
    pending = pending_files(source_files.raw_path, warehouse.store.published, cache)
    if not pending:
        return dg.SkipReason("no new or changed files under the raw folder")
    run_key = hashlib.sha256(json.dumps(pending).encode()).hexdigest()
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"vetdx/new_files": str(len(pending))})],
        cursor=json.dumps(cache),
    )

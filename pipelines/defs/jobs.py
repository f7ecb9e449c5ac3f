"""The refresh job, its monthly schedule and the sensor on the raw folder."""

import hashlib
import json
import os

import dagster as dg
import duckdb

from pipelines.ingest.loader import discover_files, sha256_of
from pipelines.ingest.schemas import SOURCES
from pipelines.settings import Settings

# DuckDB allows one writer per file and every step writes the same build, so a refresh runs its
# steps one after another in one process; dagster.yaml also queues runs one at a time.
refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest new files, build the dbt models, run every check, publish, export.",
)

ENV_REFRESH_CRON = "VETDX_REFRESH_CRON"
DEFAULT_REFRESH_CRON = "0 5 1 * *"  # 05:00 UTC on the 1st of each month: after month-end deliveries


def refresh_schedule() -> dg.ScheduleDefinition:
    # A schedule's cron is part of its definition, so it is read when the code location loads.
    return dg.ScheduleDefinition(
        name="monthly_benchmark_refresh",
        job=refresh_job,
        cron_schedule=os.environ.get(ENV_REFRESH_CRON, DEFAULT_REFRESH_CRON),
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    )


def _loaded_files(warehouse: str) -> set[tuple[str, str]]:
    if not os.path.exists(warehouse):
        return set()
    try:
        with duckdb.connect(warehouse, read_only=True) as con:
            return set(con.execute("SELECT source_file, sha256 FROM audit.loads").fetchall())
    except duckdb.CatalogException:
        return set()


def pending_files(settings: Settings, hash_cache: dict[str, list]) -> list[tuple[str, str]]:
    """Files under the raw folder whose (path, sha256) the published warehouse has not seen.

    `hash_cache` maps path -> [mtime_ns, size, sha256] so unchanged large files are not re-hashed
    at every tick.
    """
    loaded = _loaded_files(str(settings.warehouse))
    pending = []
    for source in SOURCES:
        for path in discover_files(settings.raw_dir, source):
            display = path.relative_to(settings.raw_dir).as_posix()
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
    description="Refreshes when new or changed files appear under data/raw (run key = content hashes).",
)
def raw_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    cache = json.loads(context.cursor) if context.cursor else {}
    pending = pending_files(Settings.from_env(), cache)
    if not pending:
        return dg.SkipReason("no new or changed files under the raw folder")
    run_key = hashlib.sha256(json.dumps(pending).encode()).hexdigest()
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"vetdx/new_files": str(len(pending))})],
        cursor=json.dumps(cache),
    )

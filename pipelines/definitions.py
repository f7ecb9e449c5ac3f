"""The vetdx code location: one Definitions assembling the small modules under `pipelines/defs/`."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.defs.assets.dbt import vetdx_dbt_assets
from pipelines.defs.assets.ingest import ingest_assets
from pipelines.defs.assets.publish import exports, published_warehouse
from pipelines.defs.checks import gx_asset_checks
from pipelines.defs.dbt_project import vetdx_dbt_project
from pipelines.defs.jobs import raw_files_sensor, refresh_job, refresh_schedule
from pipelines.defs.resources import default_resources

# dbt is installed next to this interpreter; found there even when the venv is not activated.
DBT = str(Path(sys.executable).with_name("dbt"))


def build_definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[*ingest_assets, vetdx_dbt_assets, published_warehouse, exports],
        asset_checks=gx_asset_checks,
        jobs=[refresh_job],
        schedules=[refresh_schedule()],
        sensors=[raw_files_sensor],
        resources={
            **default_resources(),
            "dbt": DbtCliResource(project_dir=vetdx_dbt_project, dbt_executable=DBT),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()

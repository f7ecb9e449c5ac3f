"""The vetdx code location: one Definitions assembling the small modules under `pipelines/defs/`.

`build_definitions(settings)` is what every launcher runs: `vetdx refresh` builds it from its flags
and environment; `dagster dev`, the daemon and `dagster job execute -m pipelines.definitions` load
`defs`, which builds it from the deployment's environment when the code location loads (its edge).
"""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg

from pipelines.defs.assets.dbt import vetdx_dbt_assets
from pipelines.defs.assets.ingest import audit_loads, ingest_assets
from pipelines.defs.assets.publish import exports, published_warehouse
from pipelines.defs.assets.seeds import reference_seeds
from pipelines.defs.checks import gx_asset_checks
from pipelines.defs.dbt_project import VetdxDbtCliResource, vetdx_dbt_project
from pipelines.defs.jobs import raw_files_sensor, refresh_job, refresh_schedule
from pipelines.defs.resources import resources_for
from pipelines.settings import Settings

# dbt is installed next to this interpreter; found there even when the venv is not activated.
DBT = str(Path(sys.executable).with_name("dbt"))


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=[reference_seeds, *ingest_assets, audit_loads, vetdx_dbt_assets, published_warehouse, exports],
        asset_checks=gx_asset_checks,
        jobs=[refresh_job],
        schedules=[refresh_schedule(settings.refresh_cron)],
        sensors=[raw_files_sensor],
        resources={
            **resources_for(settings),
            "dbt": VetdxDbtCliResource(project_dir=vetdx_dbt_project, dbt_executable=DBT),
        },
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Settings.from_env())

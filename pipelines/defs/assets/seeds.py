"""The run's seed files as assets: what reference data a refresh used, at the head of the lineage.

Each `seeds/<name>` is the CSV the run composed (the default, or the user's file of that name) and
read once in its setup; its materialization records the file's origin, sha256 and row count, so every
published version can be traced to the exact catalogue and country list it was built with. Ingest
and dbt's `reference/<name>` seeds depend on them: one connected graph from reference data and raw
files to exports.
"""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg

from pipelines.defs.dbt_project import dbt_seed_names
from pipelines.defs.resources import RefreshRun

SEED_NAMES: tuple[str, ...] = dbt_seed_names()


def seed_key(name: str) -> dg.AssetKey:
    return dg.AssetKey(["seeds", name])


@dg.multi_asset(
    name="reference_seeds",
    specs=[
        dg.AssetSpec(
            seed_key(name),
            group_name="seeds",
            kinds={"csv"},
            description=f"{name}.csv as this run used it: data/seeds/ overridden by the user's seeds folder.",
        )
        for name in SEED_NAMES
    ],
)
def reference_seeds(refresh_run: RefreshRun) -> Iterator[dg.MaterializeResult]:
    for name in SEED_NAMES:
        seed = refresh_run.seed_files.get(name)
        yield dg.MaterializeResult(
            asset_key=seed_key(name),
            metadata={
                "origin": seed.origin if seed else "missing",
                "sha256": seed.sha256 if seed else "",
                "dagster/row_count": seed.rows if seed else 0,
            },
        )

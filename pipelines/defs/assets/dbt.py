"""dbt models, seeds and tests as Dagster assets and checks, built into the run's warehouse build."""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.defs.assets.seeds import seed_key
from pipelines.defs.dbt_catalogue import PAGE_NAME, write_catalogue
from pipelines.defs.dbt_project import vetdx_dbt_project
from pipelines.defs.resources import RefreshRun
from pipelines.faults import crash_point
from pipelines.labels import data_label_for
from pipelines.settings import DBT_PROJECT_DIR, ENV_CATALOGUE

# The run log's line naming the vars dbt was given: the same from run to run of a warehouse, or
# dbt parses the whole project again.
DBT_VARS_LOG_PREFIX = "dbt vars: "

# dbt schemas map one-to-one onto Dagster groups so the lineage graph reads top to bottom.
_GROUP_BY_SCHEMA = {
    "reference": "reference",
    "staging": "staging",
    "intermediate": "intermediate",
    "marts": "marts",
}


class VetdxTranslator(DagsterDbtTranslator):
    """Keys dbt nodes by `[schema, name]`, the name analysts use in SQL (`marts.gap_indices`).

    Sources keep the key from their `meta.dagster.asset_key` (`raw/<table>`), which is exactly the
    ingest assets' key, so the graph is one connected lineage from file to mart.
    """

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id)
        if node is None:  # sources and other non-node resources keep the default mapping
            return spec
        schema = node.get("schema") or "main"
        spec = spec.replace_attributes(
            key=dg.AssetKey([schema, node["alias"] or node["name"]]),
            group_name=_GROUP_BY_SCHEMA.get(schema, "dbt"),
        )
        if node["resource_type"] == "seed":  # reference.<name> is loaded from the run's seeds/<name>.csv
            spec = spec.merge_attributes(deps=[seed_key(node["name"])])
        return spec


translator = VetdxTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=vetdx_dbt_project.manifest_path,
    project=vetdx_dbt_project,
    dagster_dbt_translator=translator,
)
def vetdx_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, refresh_run: RefreshRun
) -> Iterator[Any]:
    build = refresh_run.build
    # The same profile and vars from run to run of a warehouse, and its own target folder: dbt
    # reuses the last run's partial parse instead of parsing the project again (see link_build).
    dbt_vars = {
        "warehouse_path": str(refresh_run.dbt_build),
        # A path relative to the project: dbt writes each seed's compiled SQL to
        # `target/run/<project>/<seed path>`, and with an absolute seed path that join *is* the seed
        # path, so dbt would overwrite the CSV with its SQL.
        "seeds_dir": refresh_run.seeds_dir.relative_to(DBT_PROJECT_DIR).as_posix(),
        "data_label": data_label_for(refresh_run.source_files.raw_path),
    }
    context.log.info(f"{DBT_VARS_LOG_PREFIX}{json.dumps(dbt_vars, sort_keys=True)}")
    crash_point("dbt_started")
    target = refresh_run.dbt_target
    invocation = dbt.cli(build_args(dbt_vars), target_path=target, context=context)
    yield from invocation.stream()
    crash_point("dbt_done")
    if refresh_run.build_catalogue:
        build_catalogue(build, target, catalogue_dir(build), context)
    else:
        context.log.info(f"{ENV_CATALOGUE}=off: this version is published without a data catalogue")


def build_args(dbt_vars: dict) -> list[str]:
    """`dbt build` of a refresh: seeds, models and the data tests (Dagster's asset checks).

    dbt's unit tests are left out: they run the models' SQL on fixed rows given in the YAML, so
    their verdict depends on the code alone, never on the data a refresh brings; they run with the
    test suite (tests/dbt builds with them). In a refresh they were 4 of 99 nodes and 1.2-2.5 s.
    """
    return ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]


def catalogue_dir(build: Path) -> Path:
    """Where the run's dbt docs site (the data catalogue) waits to be published with its build."""
    return build.parent / "catalogue"


def build_catalogue(build: Path, target: Path, catalogue: Path, context: dg.AssetExecutionContext) -> None:
    """The dbt docs site of this build as one static page in `catalogue` (publish keeps it beside
    the version). Written in-process from the manifest the build's `dbt build` wrote and the
    build's own catalogue (`pipelines/defs/dbt_catalogue.py`): about 0.3 s, where a second dbt
    process (`dbt docs generate --static`) took 6-9 s of the dbt step. A failure here is logged,
    never a reason to withhold data: the version is then published without a catalogue."""
    (catalogue / PAGE_NAME).unlink(missing_ok=True)  # a page is this run's or none
    try:
        write_catalogue(build, target / "manifest.json", catalogue)
    except Exception as exc:  # any failure means "no catalogue", never "no data"
        context.log.warning(f"data catalogue not written ({exc}); this version will have none")


def mart_keys() -> list[dg.AssetKey]:
    return sorted(
        (k for k in vetdx_dbt_assets.keys if k.path[0] == "marts"), key=lambda k: k.to_user_string()
    )

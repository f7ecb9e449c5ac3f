"""dbt models, seeds and tests as Dagster assets and checks, built into the run's warehouse build."""

import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.defs.assets.seeds import seed_key
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
    invocation = dbt.cli(["build", "--vars", json.dumps(dbt_vars)], target_path=target, context=context)
    yield from invocation.stream()
    crash_point("dbt_done")
    if refresh_run.build_catalogue:
        build_catalogue(dbt, dbt_vars, target, catalogue_dir(build), context)
    else:
        context.log.info(f"{ENV_CATALOGUE}=off: this version is published without a data catalogue")


def catalogue_dir(build: Path) -> Path:
    """Where the run's dbt docs site (the data catalogue) waits to be published with its build."""
    return build.parent / "catalogue"


def build_catalogue(
    dbt: DbtCliResource, dbt_vars: dict, target: Path, catalogue: Path, context: dg.AssetExecutionContext
) -> None:
    """The dbt docs site as one static page (`--static` embeds manifest and catalog, so it opens
    from disk without a web server), written to `catalogue`. A failure here is logged, never a
    reason to withhold data.

    In a folder of its own under the build's target, so the build's `run_results.json` stays,
    starting from the partial parse the build left: with `--no-compile` it neither parses nor
    compiles the project again (about 4 s saved on the sample each)."""
    docs = target / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name in ("manifest.json", "partial_parse.msgpack"):  # `--static` embeds the manifest
        if (target / name).exists():
            shutil.copyfile(target / name, docs / name)
    (docs / "static_index.html").unlink(missing_ok=True)  # a page is this run's or none
    invocation = dbt.cli(
        ["docs", "generate", "--static", "--no-compile", "--vars", json.dumps(dbt_vars)],
        target_path=docs,
        raise_on_error=False,
        context=context,
    )
    invocation.wait()
    page = docs / "static_index.html"
    if not invocation.is_successful() or not page.exists():
        context.log.warning("dbt docs generate failed; this version will have no data catalogue")
        return
    catalogue.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, catalogue / page.name)


def mart_keys() -> list[dg.AssetKey]:
    return sorted(
        (k for k in vetdx_dbt_assets.keys if k.path[0] == "marts"), key=lambda k: k.to_user_string()
    )

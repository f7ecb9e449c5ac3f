"""The dbt project, built once from paths relative to this file, and the resource that runs it.

The manifest is prepared by the install/build step (`vetdx prepare`, which runs `dbt parse`) or by
`dagster dev` through `prepare_if_dev()`; it is never committed.
"""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from pipelines.settings import DBT_PROJECT_DIR

vetdx_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
vetdx_dbt_project.prepare_if_dev()


class VetdxDbtCliResource(DbtCliResource):
    """`DbtCliResource` without the two dbt start-ups dagster-dbt adds before every command.

    Before each `dbt build`, dagster-dbt 0.29 runs `dbt --version` in a subprocess (once per
    resource) and imports dbt into the Dagster process to open an adapter handle, which it uses
    only to fetch row counts or column metadata (`fetch_row_counts()`, `fetch_column_metadata()`,
    neither used here). Measured on 2 cores under load: `dbt --version` 4.5-6.4 s, the in-process
    adapter 2.7 s. The dbt executable is the one installed beside this interpreter (definitions.py),
    so its version is the installed dbt-core's (tests/dbt/test_dbt_resource.py checks they agree).
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Any) -> None:  # type: ignore[override]
        return None


def dbt_seed_names() -> tuple[str, ...]:
    """The dbt seeds of the project (`reference.<name>`), from its manifest."""
    import json

    manifest = json.loads(vetdx_dbt_project.manifest_path.read_text())
    return tuple(
        sorted(node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "seed")
    )

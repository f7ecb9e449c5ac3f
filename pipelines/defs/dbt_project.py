"""The dbt project, built once from paths relative to this file.

The manifest is prepared by the install/build step (`vetdx prepare`, which runs `dbt parse`) or by
`dagster dev` through `prepare_if_dev()`; it is never committed.
"""

from __future__ import annotations

from dagster_dbt import DbtProject

from pipelines.settings import DBT_PROJECT_DIR

vetdx_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
vetdx_dbt_project.prepare_if_dev()


def dbt_seed_names() -> tuple[str, ...]:
    """The dbt seeds of the project (`reference.<name>`), from its manifest."""
    import json

    manifest = json.loads(vetdx_dbt_project.manifest_path.read_text())
    return tuple(
        sorted(node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "seed")
    )

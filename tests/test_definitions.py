"""The code location loads, its lineage is one connected graph, and the raw-folder sensor works."""

from __future__ import annotations

import dagster as dg
import pytest

from pipelines import settings as cfg


@pytest.fixture(scope="module")
def defs(dbt_manifest):
    from pipelines.definitions import defs

    return defs()  # what `dagster dev` and `dagster job execute -m pipelines.definitions` load


def _settings(tmp_path, **env: str) -> cfg.Settings:
    return cfg.Settings.resolve(
        {
            cfg.ENV_RAW_DIR: str(tmp_path / "raw"),
            cfg.ENV_WAREHOUSE: str(tmp_path / "w" / "vetdx.duckdb"),
            **env,
        }
    )


def _sensor_resources(settings: cfg.Settings) -> dict:
    from pipelines.defs.resources import resources_for

    resources = resources_for(settings)
    return {"source_files": resources["source_files"], "warehouse": resources["warehouse"]}


def test_definitions_load_with_every_stage(defs):
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    for expected in (
        "raw/survey_responses",
        "raw/equipment_inventory",
        "raw/official_series",
        "staging/stg_raw__survey_answers",
        "marts/gap_indices",
        "marts/rank_intervals",
        "published_warehouse",
        "exports",
    ):
        assert expected in keys
    assert defs.resolve_job_def("refresh") is not None


def test_dbt_sources_are_the_ingest_assets(defs):
    """Staging models depend on the very keys the ingest assets materialise: one lineage graph."""
    graph = defs.resolve_asset_graph()
    parents = graph.get(dg.AssetKey(["staging", "stg_raw__equipment_items"])).parent_keys
    assert dg.AssetKey(["raw", "equipment_inventory"]) in parents
    ingest = graph.get(dg.AssetKey(["raw", "equipment_inventory"]))
    assert ingest.is_materializable


def test_quality_checks_guard_raw_tables_and_marts(defs):
    graph = defs.resolve_asset_graph()
    checked = {key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assert {"raw/institution_counts", "marts/gap_indices", "marts/scores"} <= checked
    # dbt tests surface as checks too
    names = {key.name for key in graph.asset_check_keys}
    assert any(
        name.startswith(("unique_", "not_null_", "relationships_", "accepted_values_")) for name in names
    )


def test_the_lineage_is_one_connected_graph_from_seeds_and_raw_files_to_exports(defs):
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    neighbours: dict[dg.AssetKey, set[dg.AssetKey]] = {key: set() for key in keys}
    for key in keys:
        for parent in graph.get(key).parent_keys:
            neighbours[key].add(parent)
            neighbours.setdefault(parent, set()).add(key)
    start = dg.AssetKey(["seeds", "country_aliases"])
    seen, stack = {start}, [start]
    while stack:
        for other in neighbours[stack.pop()] - seen:
            seen.add(other)
            stack.append(other)
    assert seen == set(neighbours), sorted(k.to_user_string() for k in set(neighbours) - seen)
    assert all(graph.get(key).is_materializable for key in neighbours), "no external assets left"
    assert (
        dg.AssetKey(["audit", "loads"]) in graph.get(dg.AssetKey(["staging", "stg_audit__loads"])).parent_keys
    )
    assert (
        dg.AssetKey(["seeds", "countries"]) in graph.get(dg.AssetKey(["reference", "countries"])).parent_keys
    )


def test_sensor_requests_a_run_for_new_files_keyed_by_their_content(tmp_path, defs):
    raw = tmp_path / "raw" / "official"
    raw.mkdir(parents=True)
    (raw / "a.csv").write_text("country,year,indicator,value\nAZE,2025,itu_internet_users_pct,88\n")
    resources = _sensor_resources(_settings(tmp_path))
    sensor = defs.resolve_sensor_def("raw_files_sensor")

    first = sensor(dg.build_sensor_context(resources=resources))
    assert len(first.run_requests) == 1
    again = sensor(dg.build_sensor_context(cursor=first.cursor, resources=resources))
    assert again.run_requests[0].run_key == first.run_requests[0].run_key  # same files, same key

    (raw / "a.csv").write_text("country,year,indicator,value\nAZE,2025,itu_internet_users_pct,89\n")
    changed = sensor(dg.build_sensor_context(cursor=first.cursor, resources=resources))
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key


def test_sensor_watches_the_folder_the_assets_read(tmp_path, defs):
    """One resource tells both where the raw files are: the sensor cannot watch another folder."""
    (tmp_path / "raw").mkdir()
    other = tmp_path / "other" / "official"
    other.mkdir(parents=True)
    (other / "a.csv").write_text("country,year,indicator,value\nAZE,2025,itu_internet_users_pct,88\n")
    sensor = defs.resolve_sensor_def("raw_files_sensor")
    assert isinstance(
        sensor(dg.build_sensor_context(resources=_sensor_resources(_settings(tmp_path)))), dg.SkipReason
    )
    moved = _settings(tmp_path, **{cfg.ENV_RAW_DIR: str(tmp_path / "other")})
    assert len(sensor(dg.build_sensor_context(resources=_sensor_resources(moved))).run_requests) == 1
    assert defs.resolve_job_def("refresh") is not None
    from pipelines.definitions import build_definitions

    moved_defs = build_definitions(moved)
    assert moved_defs.resources["source_files"].raw_dir == str(tmp_path / "other")


def test_sensor_skips_when_nothing_is_new(tmp_path, defs):
    (tmp_path / "raw").mkdir()
    sensor = defs.resolve_sensor_def("raw_files_sensor")
    result = sensor(dg.build_sensor_context(resources=_sensor_resources(_settings(tmp_path))))
    assert isinstance(result, dg.SkipReason)


def test_schedule_is_monthly_by_default_and_its_cron_comes_from_the_settings(defs, tmp_path):
    from pipelines.definitions import build_definitions

    assert defs.resolve_schedule_def("monthly_benchmark_refresh").cron_schedule == "0 5 1 * *"
    weekly = build_definitions(_settings(tmp_path, **{cfg.ENV_REFRESH_CRON: "0 6 * * 1"}))
    assert weekly.resolve_schedule_def("monthly_benchmark_refresh").cron_schedule == "0 6 * * 1"


def test_the_pii_key_reaches_dagster_as_an_env_var_never_as_its_value(tmp_path):
    from pipelines.defs.resources import resources_for

    secret = _settings(tmp_path, **{cfg.ENV_PII_KEY: "s3cret-key"})
    field = resources_for(secret)["source_files"].pii_key
    assert isinstance(field, dg.EnvVar) and field.env_var_name == cfg.ENV_PII_KEY
    assert resources_for(_settings(tmp_path))["source_files"].pii_key == ""  # the warehouse's key file

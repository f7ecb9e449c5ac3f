"""One real `dbt build` per scenario, shared by the tests of the session (dbt takes ~5-10 s)."""

from __future__ import annotations

import pytest
import vetdx_dbt_scenarios as scenarios
from vetdx_dbt_harness import RawData, build_scenario


@pytest.fixture(scope="session")
def hand_build(tmp_path_factory):
    run = build_scenario(
        tmp_path_factory.mktemp("hand"),
        scenarios.hand_raw(),
        {"indicator_catalogue.csv": scenarios.HAND_CATALOGUE, "national_targets.csv": scenarios.HAND_TARGETS},
        extra_vars={"peer_median_min_peers": 1, "mc_draws": 200},
    )
    assert run.success, "\n".join(run.failures()) + run.log[-4000:]
    return run


@pytest.fixture(scope="session")
def default_build(tmp_path_factory):
    run = build_scenario(
        tmp_path_factory.mktemp("default"),
        scenarios.default_raw(),
        extra_vars={"data_label": "SYNTHETIC SAMPLE DATA - not official statistics"},
    )
    assert run.success, "\n".join(run.failures()) + run.log[-4000:]
    return run


@pytest.fixture(scope="session")
def official_build(tmp_path_factory):
    run = build_scenario(
        tmp_path_factory.mktemp("official"),
        scenarios.official_raw(),
        {
            "indicator_catalogue.csv": scenarios.OFFICIAL_CATALOGUE,
            "countries.csv": scenarios.OFFICIAL_COUNTRIES,
        },
    )
    assert run.success, "\n".join(run.failures()) + run.log[-4000:]
    return run


@pytest.fixture(scope="session")
def bad_catalogue_build(tmp_path_factory):
    return build_scenario(
        tmp_path_factory.mktemp("bad"),
        RawData(),
        {"indicator_catalogue.csv": scenarios.BAD_CATALOGUE},
        extra_vars={"max_tree_depth": 2},
        command=("build", "--select", "+int_catalogue_nodes_resolved"),
    )

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


@pytest.fixture(scope="session")
def menu_build(tmp_path_factory):
    import vetdx_menu_scenarios as menu

    run = build_scenario(
        tmp_path_factory.mktemp("menu"),
        menu.menu_raw(),
        {
            "indicator_catalogue.csv": menu.MENU_CATALOGUE,
            "countries.csv": menu.MENU_COUNTRIES,
            "weights.csv": menu.MENU_WEIGHTS,
        },
        extra_vars={"imputation_min_peers": 1, "mc_draws": 50, "weight_set": "alt"},
    )
    assert run.success, "\n".join(run.failures()) + run.log[-4000:]
    return run


@pytest.fixture(scope="session")
def hdi_build(tmp_path_factory):
    import vetdx_menu_scenarios as menu

    run = build_scenario(
        tmp_path_factory.mktemp("hdi"),
        menu.hdi_raw(),
        {"indicator_catalogue.csv": menu.HDI_CATALOGUE, "countries.csv": menu.HDI_COUNTRIES},
        extra_vars={"mc_draws": 50},
    )
    assert run.success, "\n".join(run.failures()) + run.log[-4000:]
    return run


@pytest.fixture(scope="session")
def coinr_build(tmp_path_factory):
    import vetdx_menu_scenarios as menu

    run = build_scenario(
        tmp_path_factory.mktemp("coinr"),
        menu.coinr_raw(),
        {"indicator_catalogue.csv": menu.coinr_catalogue(), "countries.csv": menu.COINR_COUNTRIES},
        extra_vars={"imputation_min_peers": 1, "mc_draws": 50},
    )
    assert run.success, "\n".join(run.failures()) + run.log[-4000:]
    return run


@pytest.fixture(scope="session")
def flat_build(tmp_path_factory):
    """A tree of depth 1: a root named `reach` directly over two official-series leaves."""
    import vetdx_menu_scenarios as menu

    raw = RawData()
    for iso, base in (("XAA", 60.0), ("XBB", 30.0), ("XCC", 45.0)):
        raw.official(iso, 2023, "IT.NET.USER.ZS", base)
        raw.official(iso, 2023, "EG.ELC.ACCS.ZS", base + 20)
    run = build_scenario(
        tmp_path_factory.mktemp("flat"),
        raw,
        {"indicator_catalogue.csv": menu.FLAT_CATALOGUE, "countries.csv": menu.FLAT_COUNTRIES},
        extra_vars={"mc_draws": 50},
    )
    assert run.success, "\n".join(run.failures()) + run.log[-4000:]
    return run

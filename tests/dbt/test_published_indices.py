"""Published indices reproduced as their authors state them.

* The UNDP Human Development Index (technical note 1 of the HDR 2023/24) written as UNDP writes it:
  ln of GNI per capita with goalposts 100 and 75,000, goalposts for the other indicators, the
  education index as the mean of its two indicators, the HDI as the geometric mean of the three
  dimension indices. vetdx must equal the formula computed here by hand to 1e-9.
* A build the way COINr's default example is stated: a user unit list with a group column,
  group-mean imputation over it, an official denominator that is no indicator, COINr's treatment
  (winsorise up to 2 points, else log_CT), min-max and weighted arithmetic means, checked unit by unit
  against the numpy reference (pipelines/index/reference.py) run independently of the SQL.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import vetdx_menu_scenarios as scenarios

from pipelines.index import reference as ref


def undp_hdi(le: float, eys: float, mys: float, gni: float) -> float:
    health = (le - 20) / (85 - 20)
    education = (min(mys / 15, 1.0) + min(eys / 18, 1.0)) / 2
    income = min((math.log(gni) - math.log(100)) / (math.log(75000) - math.log(100)), 1.0)
    return (health * education * income) ** (1 / 3)


def test_hdi_as_undp_states_it(hdi_build):
    got = {
        (iso3, year): score
        for iso3, year, score in hdi_build.query(
            "select iso3, round, score from marts.gap_indices where dimension = 'hdi' and score is not null"
        )
    }
    assert set(got) == set(scenarios.HDI_INPUTS)
    for key, inputs in scenarios.HDI_INPUTS.items():
        assert got[key] / 100 == pytest.approx(undp_hdi(*inputs), abs=1e-9), key
    # Turkiye 2022 by hand: health 58.5 / 65 = 0.9, education (8.8 / 15 + 1) / 2, income
    # ln(328.34) / ln(750) -> 0.855 (HDR 2023/24 publishes 0.855)
    assert round(got[("TUR", 2022)] / 100, 3) == 0.855
    # Qatar's GNI is above 75,000: the income index is capped at 1 (goalposts cap)
    ((income,),) = hdi_build.query(
        "select normalised_score from marts.indicator_values where iso3 = 'QAT' and round = 2022 "
        "and indicator = 'income'"
    )
    assert income == 100.0


def test_coinr_default_build_matches_the_reference(coinr_build):
    values = scenarios.coinr_values()
    units = scenarios.COINR_UNITS
    labels = [scenarios.COINR_GROUPS[i % 3] for i in range(len(units))]
    leaves = scenarios.COINR_LEAVES
    expected_leaf: dict[str, np.ndarray] = {}
    treatments: dict[str, str] = {}
    for code, (_, direction, _) in leaves.items():
        raw = values[code]
        if code == "x_pop_ratio":  # official denominator POP.TOTAL, per 1000
            raw = raw / values["POP.TOTAL"] * 1000
        imputed = ref.impute(raw[:, None], [2024], "group_mean:grp", {"grp": labels}, min_peers=1)[:, 0]
        treated = ref.treat(imputed, "auto_log_ct:2", "minmax")
        treatments[code] = treated.treatment
        expected_leaf[code] = ref.normalise(treated.values, "minmax", direction, treated=treated)
    # the scenario exercises COINr's two outcomes: winsorised and log_CT
    assert {"winsorise", "log_ct"} <= set(treatments.values()), treatments

    def node_scores(parent: str) -> np.ndarray:
        kids = [c for c, (p, _, _) in leaves.items() if p == parent]
        weights = [leaves[c][2] for c in kids]
        return np.array(
            [ref.aggregate([expected_leaf[c][u] for c in kids], weights).score for u in range(len(units))]
        )

    p_one, p_two = node_scores("p_one"), node_scores("p_two")
    index = np.array([ref.aggregate([p_one[u], p_two[u]], [1.0, 2.0]).score for u in range(len(units))])

    got = {
        (iso3, node): score
        for iso3, node, score in coinr_build.query(
            "select iso3, node, score from marts.scores where round = 2024"
        )
    }
    for u, unit in enumerate(units):
        for node, column in [("coin_index", index), ("p_one", p_one), ("p_two", p_two)] + [
            (code, expected_leaf[code]) for code in leaves
        ]:
            e = column[u]
            if math.isnan(e):
                assert got[(unit, node)] is None, (unit, node)
            else:
                assert got[(unit, node)] == pytest.approx(e, abs=1e-9), (unit, node)
    sql_treatments = dict(
        coinr_build.query(
            "select distinct indicator, split_part(treatment, ' ', 1) from marts.indicator_values"
        )
    )
    assert sql_treatments == treatments
    # every unit has an index score (group means fill the holes)
    assert not np.isnan(index).any()

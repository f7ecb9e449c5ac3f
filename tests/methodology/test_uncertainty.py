"""The uncertainty and sensitivity math (pipelines/index/uncertainty.py) on small hand-made trees."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pipelines.index import uncertainty as unc

UNITS = ["A", "B", "C", "D"]


def _tree(aggregation: str = "arithmetic") -> tuple[unc.Panel, unc.Tree]:
    """root (aggregation) over two leaves x, y; one round; A best on x, D best on y."""
    nodes = pd.DataFrame(
        [
            ("root", None, 0, False, 1.0, aggregation, 0.65),
            ("x", "root", 1, True, 1.0, None, 0.65),
            ("y", "root", 1, True, 1.0, None, 0.65),
        ],
        columns=["code", "parent", "level", "is_leaf", "weight", "aggregation", "min_coverage"],
    )
    for column, value in (("normalisation", "minmax"), ("direction", 1), ("treatment", "none")):
        nodes[column] = value
    x, y = [100.0, 60.0, 30.0, 0.0], [0.0, 50.0, 60.0, 100.0]
    rows = [(u, 2024, "x", v, v, v, v, 1) for u, v in zip(UNITS, x, strict=True)]
    rows += [(u, 2024, "y", v, v, v, v, 1) for u, v in zip(UNITS, y, strict=True)]
    values = pd.DataFrame(
        rows,
        columns=["iso3", "round", "indicator", "denominated_value", "imputed_value", "treated_value",
                 "normalised_score", "direction"],
    )  # fmt: skip
    values["bound_log"], values["log_ct_shift"] = None, math.nan
    countries = pd.DataFrame({"iso3": UNITS, "name_en": UNITS, "grp": ["g", "g", "h", "h"]})
    return unc.panel_and_tree(values, nodes, countries)


def test_nominal_scores_follow_the_catalogue():
    panel, tree = _tree("copeland")
    nominal = unc.nominal_scores(panel, tree, 0.1)[0, :, tree.codes.index("root")]
    # A vs B: x better, y worse -> tie 0; A vs C 0; A vs D 0; B vs C 0, B vs D 0; C vs D 0: all 0
    assert list(nominal) == [0.0, 0.0, 0.0, 0.0]
    panel, tree = _tree("generalised:2")
    nominal = unc.nominal_scores(panel, tree, 0.1)[0, :, tree.codes.index("root")]
    assert nominal[1] == pytest.approx(math.sqrt((60**2 + 50**2) / 2))


def test_choices_from_the_dbt_var():
    choices = unc.Choices.from_var(
        {"weights": {"noise": 0}, "aggregation": ["catalogue", "geometric", "harmonic"]}
    )
    assert choices.perturbed() == ["normalisation", "aggregation"]
    assert choices.aggregation == ("catalogue", "geometric", "harmonic")
    assert unc.Choices.from_var(None).perturbed() == ["weights", "normalisation", "aggregation"]
    with pytest.raises(ValueError, match=r"uncertainty\.treatment"):
        unc.Choices.from_var({"treatment": []})


def test_a_choice_that_changes_nothing_has_zero_sensitivity():
    """Only the aggregation moves ranks here (minmax = catalogue normalisation): arithmetic ranks
    B (55) > C (45) = A = D (50)... geometric penalises the zeros of A and D. Sobol: the aggregation
    explains everything, normalisation (two identical alternatives) nothing."""
    panel, tree = _tree()
    choices = unc.Choices(
        0.0, 1, ("catalogue", "minmax"), ("arithmetic", "geometric"), ("catalogue",), ("catalogue",)
    )
    frame = unc.sobol_indices(panel, tree, choices, 64, 7, 0.1)
    root = frame[frame["dimension"] == "root"].set_index("choice")
    assert root.loc["normalisation", "total"] == pytest.approx(0.0, abs=1e-9)
    assert root.loc["aggregation", "first_order"] == pytest.approx(1.0, abs=0.05)
    assert root.loc["aggregation", "total"] == pytest.approx(1.0, abs=0.05)
    assert set(frame["evaluations"]) == {64 * (2 + 2)}


def test_rank_intervals_cover_the_nominal_rank():
    panel, tree = _tree()
    frame = unc.rank_intervals(panel, tree, unc.Choices(), 200, 3, 0.1)
    root = frame[frame["dimension"] == "root"].set_index("iso3")
    assert list(root["nominal_rank"]) == [2.0, 1.0, 4.0, 2.0]  # 50, 55, 45, 50
    assert (root["rank_p05"] <= root["nominal_rank"]).all() and (
        root["nominal_rank"] <= root["rank_p95"]
    ).all()
    # geometric draws floor A's and D's zeros: sqrt(100 x 0.1) ~ 3.2, far below B and C
    assert root.loc["A", "rank_p95"] >= 3


def test_imputation_alternative_recomputes_the_leaves():
    panel, _ = _tree()
    observed = panel.columns["denominated_value"].copy()
    observed[0, 0, 0] = np.nan  # A's x not observed
    panel.columns["denominated_value"] = observed
    scores = panel.leaf_scores("none", "catalogue", "catalogue")
    assert math.isnan(scores[0, 0, 0]) and scores[0, 1, 0] == pytest.approx(100.0)  # minmax 0..60 now
    grouped = panel.leaf_scores("group_mean:grp", "catalogue", "catalogue")
    assert grouped[0, 0, 0] == pytest.approx(100.0)  # A takes B's 60 (group g), the new maximum

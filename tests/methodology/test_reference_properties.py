"""Properties of the reference index math (pipelines/index/reference.py), which the SQL matches
(tests/dbt/test_sql_matches_reference.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.index import reference as ref

values = st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=2, max_size=20)
methods = st.sampled_from(["minmax", "goalposts", "zscore", "target", "frontier", "rank"])


def _bounds(method, x):
    lo, hi = float(np.min(x)) - 1, float(np.max(x)) + 1
    return {"lower": lo, "upper": hi, "target": (lo + hi) / 2 if method == "target" else None}


@settings(max_examples=200, deadline=None)
@given(x=values, method=methods, direction=st.sampled_from([1, -1]))
def test_scores_within_0_100(x, method, direction):
    s = ref.normalise(np.array(x), method, direction, **_bounds(method, x))
    assert np.all((s >= 0) & (s <= 100))


@settings(max_examples=200, deadline=None)
@given(x=values, method=methods, direction=st.sampled_from([1, -1]))
def test_monotone_in_direction(x, method, direction):
    a = np.array(x)
    s = ref.normalise(a, method, direction, **_bounds(method, x))
    order = np.argsort(a * direction, kind="stable")
    assert np.all(np.diff(s[order]) >= -1e-9)  # better raw value (given direction) never scores lower


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(st.floats(min_value=0, max_value=100), min_size=2, max_size=6),
    weights=st.lists(st.floats(min_value=0.1, max_value=10), min_size=6, max_size=6),
    method=st.sampled_from(["arithmetic", "geometric", "harmonic"]),
    missing=st.integers(min_value=0, max_value=5),
)
def test_weights_renormalise_over_present_children(scores, weights, method, missing):
    missing %= len(scores)
    w = weights[: len(scores)]
    with_gap = list(scores)
    with_gap[missing] = math.nan
    full = ref.aggregate(with_gap, w, method, min_coverage=0.0)
    kept = [s for i, s in enumerate(scores) if i != missing]
    kept_w = [x for i, x in enumerate(w) if i != missing]
    alone = ref.aggregate(kept, kept_w, method, min_coverage=0.0)
    assert full.score == pytest.approx(alone.score, rel=1e-12)
    assert full.coverage == pytest.approx(sum(kept_w) / sum(w))
    assert 0 <= full.score <= 100 + 1e-9
    assert min(kept) - 1e-9 <= alone.score <= max(kept) + 1e-9 or min(kept) == 0  # zero floor may lift


@given(scores=st.lists(st.floats(min_value=0.2, max_value=100), min_size=1, max_size=5))
def test_zero_rule_leaves_positive_scores_untouched(scores):
    w = [1.0] * len(scores)
    geo = ref.aggregate(scores, w, "geometric", 0.0).score
    assert geo == pytest.approx(math.exp(np.mean(np.log(scores))), rel=1e-12)
    with_zero = ref.aggregate([*scores, 0.0], [*w, 1.0], "geometric", 0.0).score
    assert with_zero == pytest.approx(math.exp(np.mean(np.log([*scores, ref.ZERO_FLOOR]))), rel=1e-12)


def test_below_min_coverage_is_missing():
    result = ref.aggregate([50.0, math.nan, math.nan], [1, 1, 1], "arithmetic", min_coverage=0.65)
    assert math.isnan(result.score) and result.coverage == pytest.approx(1 / 3)


@settings(max_examples=100, deadline=None)
@given(x=st.lists(st.floats(min_value=-100, max_value=100), min_size=4, max_size=30))
def test_shape_statistics_match_scipy(x):
    scipy_stats = pytest.importorskip("scipy.stats")
    a = np.array(x)
    if a.var() <= 1e-20 * (1 + a.mean() ** 2) or a.std() < 1e-6:
        return
    assert ref.skewness(a) == pytest.approx(scipy_stats.skew(a, bias=False), rel=1e-6, abs=1e-9)
    assert ref.kurtosis(a) == pytest.approx(scipy_stats.kurtosis(a, bias=False), rel=1e-6, abs=1e-9)


def test_goalposts_with_log_transform_apply_to_bounds():
    # HDI-style: ln(1 + x) on the value (treat) and on the goalposts 0 and 99 (normalise)
    treated = ref.treat(np.array([9.0, 99.0]), "none", "goalposts", transform="log")
    scores = ref.normalise(treated.values, "goalposts", 1, 0, 99, log_applications=treated.log_applications)
    assert list(scores) == pytest.approx([50.0, 100.0])

"""Hand-computed examples: 3 countries, a 2-level tree, every method of the catalogue.

Each expected number is worked out in the comment next to it from scenarios.HAND_VALUES.
"""

from __future__ import annotations

import math

import pytest

ROUND = 2024


def score(run, node, iso3, table="marts.scores", column="score", key="node"):
    rows = run.query(
        f"select {column} from {table} where {key} = ? and iso3 = ? and round = ?", [node, iso3, ROUND]
    )
    assert len(rows) == 1, (node, iso3, rows)
    return rows[0][0]


def indicator(run, code, iso3, column="normalised_score"):
    return score(run, code, iso3, "marts.indicator_values", column, "indicator")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # minmax over the pooled panel: (x - 10) / (40 - 10)
        ("i_mm", {"AAA": 0.0, "BBB": 100 / 3, "CCC": 100.0}),
        # goalposts 0-50, direction -1: (50 - x) / 50, capped (60 -> 0)
        ("i_gp", {"AAA": 80.0, "BBB": 0.0, "CCC": 50.0}),
        # zscore: mean 2, sd 1 -> 50 + 10 z
        ("i_z", {"AAA": 40.0, "BBB": 50.0, "CCC": 60.0}),
        # target 50 from lower 0: x / 50, capped (75 -> 100)
        ("i_tg", {"AAA": 50.0, "BBB": 100.0, "CCC": 0.0}),
        # frontier, direction -1, no bounds: worst = max 10, frontier = min 2: (10 - x) / 8
        ("i_fr", {"AAA": 100.0, "BBB": 75.0, "CCC": 0.0}),
        # percent rank within the round, ties share the lower rank
        ("i_rk", {"AAA": 0.0, "BBB": 0.0, "CCC": 100.0}),
        # transform log: ln(1 + x) applied to values and goalposts 0-99: ln(10) / ln(100)
        ("i_log", {"AAA": 50.0, "BBB": 100.0, "CCC": 0.0}),
        # denominator students (ministry counts) x 100: AAA 50/200, CCC 10/(60+40); BBB has no count
        ("i_denom", {"AAA": 25.0, "BBB": None, "CCC": 10.0}),
    ],
)
def test_normalisation_methods(hand_build, code, expected):
    for iso3, value in expected.items():
        got = indicator(hand_build, code, iso3)
        assert (got is None) if value is None else got == pytest.approx(value, abs=1e-9), (code, iso3, got)


def test_denominator_missing_is_flagged_not_zero(hand_build):
    raw, denominated, flag, reason = hand_build.query(
        "select raw_value, denominated_value, quality_flag, missing_reason from marts.indicator_values "
        "where indicator = 'i_denom' and iso3 = 'BBB' and round = 2024"
    )[0]
    assert raw == 7 and denominated is None
    assert "denominator_missing" in flag and "denominator_missing" in reason


def test_imputation_options(hand_build):
    rows = {
        (r[0], r[1]): r[2:]
        for r in hand_build.query(
            "select indicator, iso3, imputed_value, imputation_method, is_imputed "
            "from marts.indicator_values "
            "where round = 2024 and indicator in ('i_cf', 'i_pm', 'i_pi', 'i_none')"
        )
    }
    assert rows[("i_cf", "AAA")] == (30.0, "observed", False)
    assert rows[("i_cf", "BBB")] == (60.0, "carry_forward from 2023", True)  # 1 year old, max 1
    assert rows[("i_cf", "CCC")] == (None, "none", False)  # 2022 is 2 years old
    assert rows[("i_pm", "AAA")] == (40.0, "peer_median:oic_group of 1 peers", True)  # Arab peer BBB
    assert rows[("i_pi", "BBB")] == (30.0, "peer_median:income_group of 1 peers", True)  # LMI peer CCC
    assert rows[("i_none", "CCC")] == (None, "none", False)  # no imputation by default, no zero
    carried_2023 = hand_build.query(
        "select imputed_value from marts.indicator_values where indicator = "
        "'i_cf' and iso3 = 'CCC' and round = 2023"
    )
    assert carried_2023 == [(70.0,)]


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        # arithmetic, weights 1 and 3: (i_mm + 3 i_gp) / 4
        ("d_arith", {"AAA": 60.0, "BBB": 25 / 3, "CCC": 62.5}),
        # geometric with the zero rule: AAA sqrt(40 x 0.1) = 2 (0 -> 0.1 points)
        ("d_geo", {"AAA": 2.0, "BBB": math.sqrt(5000), "CCC": math.sqrt(3000)}),
        # harmonic: 2 / (1/a + 1/b); CCC has two zeros -> 2 / (10 + 10) = 0.1
        ("d_harm", {"AAA": 2 / (1 / 50 + 1 / 100), "BBB": 2 / (1 / 100 + 1 / 75), "CCC": 0.1}),
        # min coverage 0.65: CCC has 1 of 3 children -> NULL; BBB uses its carried-forward value
        ("d_cov", {"AAA": 40.0, "BBB": 50.0, "CCC": None}),
        # min coverage 0.5: BBB lacks i_denom -> weights renormalised over 3 children
        ("d_misc", {"AAA": 21.25, "BBB": 130 / 3, "CCC": 35.0}),
    ],
)
def test_aggregation_methods(hand_build, node, expected):
    for iso3, value in expected.items():
        got = score(hand_build, node, iso3)
        assert (got is None) if value is None else got == pytest.approx(value, rel=1e-9), (node, iso3, got)


OVERALL = {
    "AAA": (60 + 2 + 2 / (1 / 50 + 1 / 100) + 40 + 21.25) / 5,
    "BBB": (25 / 3 + math.sqrt(5000) + 2 / (1 / 100 + 1 / 75) + 50 + 130 / 3) / 5,
    # d_cov missing: coverage 4/5 >= 0.65, mean of the other four
    "CCC": (62.5 + math.sqrt(3000) + 0.1 + 35) / 4,
}


def test_overall_and_coverage(hand_build):
    for iso3, value in OVERALL.items():
        assert score(hand_build, "overall", iso3) == pytest.approx(value, rel=1e-9)
    assert score(hand_build, "overall", "CCC", column="coverage") == pytest.approx(0.8)
    assert score(hand_build, "d_misc", "BBB", column="coverage") == pytest.approx(0.75)
    reason = score(hand_build, "d_cov", "CCC", column="missing_reason")
    assert reason == "coverage 0.33 below minimum 0.65 (missing: i_cf, i_none)"


def test_gap_indices(hand_build):
    rows = {
        r[0]: r[1:]
        for r in hand_build.query(
            "select iso3, score, gap, rank, gap_to_frontier, gap_to_oic_median, gap_to_group_median, "
            "gap_to_target, change_since_previous from marts.gap_indices where "
            "dimension = 'overall' and round = 2024"
        )
    }
    a, b, c = OVERALL["AAA"], OVERALL["BBB"], OVERALL["CCC"]
    s, gap, rank, frontier, oic_median, group_median, target, change = rows["AAA"]
    assert s == pytest.approx(a) and gap == pytest.approx(100 - a)
    assert rank == 3 and rows["BBB"][2] == 1 and rows["CCC"][2] == 2
    assert frontier == pytest.approx(b - a)
    assert oic_median == pytest.approx(sorted([a, b, c])[1] - a)
    assert group_median == pytest.approx((a + b) / 2 - a)  # Arab group: AAA, BBB
    assert target == pytest.approx(50 - a)  # national_targets.csv
    assert change is None and rows["BBB"][6] is None  # no target for BBB
    # every country x round x (root + children) row exists; 2022 has no data at all
    assert hand_build.query("select count(*) from marts.gap_indices") == [(3 * 3 * 6,)]
    assert hand_build.query(
        "select count(*) from marts.gap_indices where score is null and missing_reason is null"
    ) == [(0,)]


def test_ranks_within_groups(hand_build):
    rows = dict(
        (r[0], r[1:])
        for r in hand_build.query(
            "select iso3, rank, rank_in_oic_group, rank_in_income_group from marts.scores "
            "where node = 'overall' and round = 2024"
        )
    )
    assert rows == {"AAA": (3, 2, 1), "BBB": (1, 1, 1), "CCC": (2, 1, 2)}


def test_benchmarks(hand_build):
    rows = dict(
        ((r[0], r[1]), r[2])
        for r in hand_build.query(
            "select group_value, benchmark, value from marts.benchmarks where node "
            "= 'overall' and round = 2024"
        )
    )
    values = sorted(OVERALL.values())
    assert rows[("OIC", "frontier")] == pytest.approx(values[-1])
    assert rows[("OIC", "min")] == pytest.approx(values[0])
    assert rows[("OIC", "median")] == pytest.approx(values[1])
    assert rows[("OIC", "mean")] == pytest.approx(sum(values) / 3)
    assert rows[("African", "median")] == pytest.approx(OVERALL["CCC"])


def test_rank_intervals_nominal_matches_sql(hand_build):
    mismatches = hand_build.query(
        "select r.iso3, r.dimension, r.nominal_rank, g.rank from marts.rank_intervals r "
        "join marts.gap_indices g using (iso3, round, dimension) where r.nominal_rank is distinct from g.rank"
    )
    assert mismatches == []
    rows = hand_build.query(
        "select draws, rank_p05, median_rank, rank_p95 from marts.rank_intervals "
        "where round = 2024 and dimension = 'overall'"
    )
    assert all(d == 200 and 1 <= lo <= med <= hi <= 3 for d, lo, med, hi in rows)

"""The catalogue's full menu, worked out by hand (scenario `menu` of vetdx_menu_scenarios.py): six
units R01-R06 of a user's list (group columns region and network, no OIC columns), root `menu`,
weight set `alt` (d_zero 3, d_tr 0). Each expected number is derived in the comment next to it."""

from __future__ import annotations

import math

import pytest

ROUND = 2024


def values(run, code, column="normalised_score", round_=ROUND):
    rows = run.query(
        f"select iso3, {column} from marts.indicator_values where indicator = ? and round = ?", [code, round_]
    )
    return dict(rows)


def scores(run, node, column="score"):
    return dict(
        run.query(f"select iso3, {column} from marts.scores where node = ? and round = ?", [node, ROUND])
    )


def check(got: dict, expected: dict) -> None:
    for unit, value in expected.items():
        if value is None or isinstance(value, str):
            assert got[unit] == value, (unit, got[unit])
        else:
            assert got[unit] == pytest.approx(value, rel=1e-12, abs=1e-12), (unit, got[unit], value)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # ln, goalposts 1 and 100 transformed too: 100 ln(x) / ln(100); ln(1000) > ln(100) capped
        ("t_ln", {"R01": 50.0, "R02": 100.0, "R03": None, "R04": 100.0}),
        # sqrt, goalposts 0-100 -> 0-10: 100 sqrt(x) / 10; sqrt(-4) undefined
        ("t_sqrt", {"R01": 50.0, "R02": 80.0, "R03": None}),
        # `log` = log1p: ln(1 + 9) / ln(1 + 99)
        ("t_log", {"R01": 50.0}),
        # scaled:0:50, uncapped: 100 x / 50
        ("n_scaled", {"R01": 20.0, "R02": 160.0, "R03": -10.0}),
        # zscore:100:10: mean 2, sd 1 -> 100 + 10 z, uncapped
        ("n_zms", {"R01": 90.0, "R02": 100.0, "R03": 110.0}),
        # dist_to_ref:R02 (ref 20, round min 10): 100 (1 - (20 - x) / (20 - 10)); uncapped by default
        ("n_ref", {"R01": 0.0, "R02": 100.0, "R03": 300.0}),
        # the same with cap = true: at most 100 (the unit code is matched case-insensitively)
        ("n_ref_cap", {"R01": 0.0, "R02": 100.0, "R03": 100.0}),
        # frac_max: 100 x / 40
        ("n_frac", {"R01": 25.0, "R02": 50.0, "R03": 100.0}),
        # rank_raw of 5, 5, 9, 1 (ties share the lower rank) and borda = rank - 1
        ("n_rraw", {"R01": 2.0, "R02": 2.0, "R03": 4.0, "R04": 1.0}),
        ("n_borda", {"R01": 1.0, "R02": 1.0, "R03": 3.0, "R04": 0.0}),
        # goalposts 0-50 with cap = false: 100 x / 50 outside 0-100 too
        ("n_gp_nocap", {"R01": 120.0, "R02": -20.0, "R03": 50.0}),
        # auto_log_ct:0 on 1..5, 1000 (skew 2.449 > 2, kurtosis 6.0 > 3.5, no winsorising allowed):
        # log_CT = ln(x - 1 + 9.99), min-max of the logs
        (
            "t_alct",
            {
                f"R0{i}": 100 * (math.log(x + 8.99) - math.log(9.99)) / (math.log(1008.99) - math.log(9.99))
                for i, x in zip(range(1, 7), [1, 2, 3, 4, 5, 1000], strict=True)
            },
        ),
        # auto: one winsorised point (1000 -> 5, then skew 0), min-max over 1..5
        ("t_auto", {"R01": 0.0, "R02": 25.0, "R03": 50.0, "R04": 75.0, "R05": 100.0, "R06": 100.0}),
    ],
)
def test_new_transforms_and_normalisations(menu_build, code, expected):
    check(values(menu_build, code), expected)


def test_undefined_transform_says_why(menu_build):
    reasons = values(menu_build, "t_ln", "missing_reason")
    assert reasons["R03"] == "no value: transform ln undefined at 0.0"
    assert values(menu_build, "t_sqrt", "quality_flag")["R03"] == "transform_undefined"


@pytest.mark.parametrize(
    ("code", "column", "expected"),
    [
        # mean / median of the round's observed units 10, 20, 60
        ("m_mean", "imputed_value", {"R04": 30.0, "R05": 30.0, "R06": 30.0}),
        ("m_median", "imputed_value", {"R04": 20.0, "R05": 20.0, "R06": 20.0}),
        ("m_mean", "imputation_method", {"R04": "mean of 3 peers"}),
        # group_mean:region: S = {R03 50}; E has no observed unit: no donor
        ("m_gmean", "imputed_value", {"R04": 50.0, "R05": None, "R06": None}),
        # group_median:network: A = {R01 10, R03 40} -> 25; B = {R02 70, R04 30} -> 50
        ("m_gmed", "imputed_value", {"R05": 25.0, "R06": 50.0}),
        ("m_gmed", "imputation_method", {"R05": "group_median:network of 2 peers"}),
        # peer_median:<column> is group_median's alias: N = {R01 10}, S = {R03 80}
        ("m_peer", "imputed_value", {"R02": 10.0, "R04": 80.0}),
        ("m_const", "imputed_value", {"R01": 10.0, "R02": 42.0, "R06": 42.0}),
    ],
)
def test_imputation_menu(menu_build, code, column, expected):
    check(values(menu_build, code, column), expected)


def test_linear_interpolation_between_rounds(menu_build):
    # R01: 10 in 2022, 30 in 2024 -> 20 in 2023 (each donor 1 year away, linear:1); R03 has no later value
    got = dict(
        menu_build.query(
            "select iso3, imputed_value from marts.indicator_values "
            "where indicator = 'm_lin' and round = 2023"
        )
    )
    assert got["R01"] == pytest.approx(20.0) and got["R03"] is None
    ((method, files),) = menu_build.query(
        "select imputation_method, lineage_files from marts.indicator_values "
        "where indicator = 'm_lin' and round = 2023 and iso3 = 'R01'"
    )
    assert method == "linear between 2022 and 2024" and files == ["official/official.csv"]


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        # generalised:2: sqrt((30^2 + 40^2) / 2); sqrt((0 + 100^2) / 2)
        ("d_gen", {"R01": math.sqrt(1250), "R02": math.sqrt(5000), "R03": None}),
        # copeland (weights 1, 1, 2): R01-R02 share (1 + 2/2) / 4... see test_copeland_worked_out
        ("d_cop", {"R01": 1.0, "R02": 1.0, "R03": 1.0, "R04": -3.0, "R05": None}),
        # zero weight z0: carried, not counted: (80 + 20) / 2 for R01 (z0 = 5) and R02 (z0 missing);
        # R03 lacks z2: coverage 1/2 < 0.65
        ("d_zero", {"R01": 50.0, "R02": 50.0, "R03": None}),
        # monotonic zero rule: 0 and 0.05 both count as 0.1 -> sqrt(0.1 x 40) = 2; 0.2 is kept
        ("d_flr", {"R01": 2.0, "R02": 2.0, "R03": math.sqrt(0.2 * 40)}),
    ],
)
def test_new_aggregations(menu_build, node, expected):
    check(scores(menu_build, node), expected)


def test_copeland_worked_out(menu_build):
    """c1, c2, c3 with weights 1, 1, 2: R01 (50, 50, 10), R02 (60, 40, 10), R03 (10, 10, 90),
    R04 (10, 10, 10). R01 vs R02: better on c2 (1) + tie on c3 (2/2) = 2 of 4 -> 0; vs R03: c1 + c2
    = 2 of 4 -> 0; vs R04: 1 + 1 + 1 = 3 of 4 -> +1. R02 likewise 0, 0, +1; R03 vs R04: 0.5 + 0.5 + 2
    = 3 of 4 -> +1; R04 loses to all three: -3."""
    assert scores(menu_build, "d_cop", "score_bounded")["R01"] is False
    assert scores(menu_build, "d_cop", "coverage")["R05"] == 0.0


def test_zero_weight_and_partial_scores_are_flagged(menu_build):
    notes = scores(menu_build, "d_zero", "coverage_note")
    assert notes["R01"] is None
    assert notes["R02"] == "computed from 2 of 3 children (missing: z0)"
    assert scores(menu_build, "d_zero", "coverage")["R02"] == 1.0  # z0 weighs nothing
    assert (
        scores(menu_build, "d_zero", "missing_reason")["R03"]
        == "coverage 0.50 below minimum 0.65 (missing: z2)"
    )


def test_weight_set_replaces_catalogue_weights(menu_build):
    weights = dict(menu_build.query("select code, weight from marts.indicators where parent = 'menu'"))
    assert weights["d_zero"] == 3.0 and weights["d_tr"] == 0.0 and weights["d_imp"] == 1.0  # `other` unused
    dims = menu_build.query(
        "select s.iso3, s.node, s.score, i.weight from marts.scores s "
        "join marts.indicators i on i.code = s.node "
        "where s.round = 2024 and i.parent = 'menu' and s.iso3 = 'R01'"
    )
    expected = sum(w * s for _, _, s, w in dims if s is not None) / sum(
        w for _, _, s, w in dims if s is not None
    )
    # d_tr (50) weighs 0; d_zero (50) weighs 3: R01 = (50 x 3 + d_imp + ...) / 10
    assert scores(menu_build, "menu")["R01"] == pytest.approx(expected, rel=1e-12)
    by_node = {node: s for _, node, s, _ in dims}
    assert by_node["d_imp"] == pytest.approx(90 / 7)  # six leaves at 10, m_lin at 30
    assert by_node["d_norm"] == pytest.approx((20 + 90 + 0 + 0 + 25 + 2 + 1 + 120) / 8)


def test_any_unit_list(menu_build):
    """Units outside the OIC with their own group columns: marts.countries has NULL OIC columns,
    benchmarks are by region and network and the all-units label is not 'OIC'."""
    units = menu_build.query("select iso3, name_en, oic_group, income_group from marts.countries order by 1")
    assert [u[0] for u in units] == ["R01", "R02", "R03", "R04", "R05", "R06"]
    assert all(u[2] is None and u[3] is None for u in units)
    groups = {r[0]: r[1] for r in menu_build.query("select distinct group_type, count(distinct group_value) "
                                                   "from marts.benchmarks group by 1")}  # fmt: skip
    assert groups == {"oic": 1, "region": 3, "network": 2}
    assert menu_build.query("select distinct group_value from marts.benchmarks where group_type = 'oic'") == [
        ("All units",)
    ]
    ((median,),) = menu_build.query(
        "select value from marts.benchmarks where node = 'menu' and round = 2024 and group_type = 'network' "
        "and group_value = 'A' and benchmark = 'median'"
    )
    a = scores(menu_build, "menu")
    assert median == pytest.approx(sorted([a["R01"], a["R03"], a["R05"]])[1])
    ranks = menu_build.query("select distinct rank_in_oic_group, gap_to_group_median from marts.gap_indices")
    assert ranks == [(None, None)]


def test_root_of_any_name_has_a_complete_grid(menu_build):
    dims = {r[0] for r in menu_build.query("select distinct dimension from marts.gap_indices")}
    assert "menu" in dims and len(dims) == 9
    assert menu_build.query("select count(*) from marts.gap_indices") == [(6 * 3 * 9,)]


def test_rank_intervals_nominal_ranks_follow_the_new_aggregations(menu_build):
    mismatches = menu_build.query(
        "select r.iso3, r.dimension, r.nominal_rank, g.rank from marts.rank_intervals r "
        "join marts.gap_indices g using (iso3, round, dimension) where r.nominal_rank is distinct from g.rank"
    )
    assert mismatches == []
    choices = {r[0] for r in menu_build.query("select distinct choice from marts.sensitivity_indices")}
    assert choices == {"weights", "normalisation", "aggregation"}


def test_a_tree_of_depth_one_publishes(flat_build):
    """root `reach` = geometric mean of two goalpost leaves: XAA sqrt(60 x 80), XBB sqrt(30 x 50)."""
    got = dict(flat_build.query("select iso3, score from marts.gap_indices where dimension = 'reach'"))
    assert got["XAA"] == pytest.approx(math.sqrt(60 * 80)) and got["XBB"] == pytest.approx(math.sqrt(30 * 50))
    dims = flat_build.query("select distinct dimension from marts.gap_indices order by 1")
    assert dims == [("internet",), ("power",), ("reach",)]
    types = dict(flat_build.query("select code, node_type from marts.indicators"))
    assert types == {"reach": "index", "internet": "indicator", "power": "indicator"}
    ranks = flat_build.query("select count(*) from marts.rank_intervals where draws = 50")
    assert ranks == [(3 * 3,)]

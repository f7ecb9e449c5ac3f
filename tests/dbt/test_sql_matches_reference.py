"""The SQL of the index steps equals the numpy reference (pipelines/index/reference.py) on random
inputs. dbt is slow to start, so each example re-runs the model's *compiled* SELECT (from the hand
scenario's build) inside a transaction on a scratch copy of the warehouse whose input tables hold
the example's rows; the transaction is rolled back after each example."""

from __future__ import annotations

import math
import shutil

import duckdb
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.index import reference as ref

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Scratch:
    def __init__(self, build, folder):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / build.warehouse.name  # same file name -> same catalog name as compiled SQL
        shutil.copyfile(build.warehouse, target)
        self.con = duckdb.connect(str(target))
        self.compiled = build.warehouse.parent / "target" / "compiled" / "vetdx" / "models" / "intermediate"

    def select(self, model: str) -> str:
        return (self.compiled / f"{model}.sql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(hand_build, tmp_path_factory):
    s = Scratch(hand_build, tmp_path_factory.mktemp("scratch"))
    yield s
    s.con.close()


finite = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def normalisation_case(draw):
    method = draw(
        st.sampled_from(
            [
                *["minmax", "goalposts", "zscore", "target", "frontier", "rank"],
                *["scaled:-20:80", "zscore:100:15", "dist_to_ref:C0", "frac_max", "rank_raw", "borda"],
            ]
        )
    )
    n = draw(st.integers(min_value=1, max_value=10))
    values = draw(st.lists(st.one_of(st.none(), finite), min_size=n, max_size=n))
    rounds = draw(st.lists(st.sampled_from([2023, 2024]), min_size=n, max_size=n))
    lower = draw(st.one_of(st.none(), finite))
    upper = None if lower is None else lower + draw(st.floats(min_value=0.5, max_value=500))
    if method == "goalposts" and lower is None:
        lower, upper = 0.0, 100.0
    target = draw(finite) if method == "target" else None
    cap = draw(st.sampled_from([None, True, False]))
    return method, draw(st.sampled_from([1, -1])), values, rounds, lower, upper, target, cap


@SETTINGS
@given(case=normalisation_case())
def test_normalisation_sql_equals_reference(scratch, case):
    method, direction, values, rounds, lower, upper, target, cap = case
    name, args = ref.option(method)
    default_cap = name in ("goalposts", "target")
    con = scratch.con
    con.execute("begin")
    try:
        con.execute("delete from intermediate.int_indicator_values_treated")
        con.executemany(
            "insert into intermediate.int_indicator_values_treated by name "
            "select ? as iso3, ? as round, 'i_mm' as indicator, ? as treated_value",
            [[f"C{i}", r, v] for i, (v, r) in enumerate(zip(values, rounds, strict=True))],
        )
        con.execute(
            "update intermediate.int_catalogue_nodes_resolved set normalisation = ?, "
            "normalisation_method = ?, "
            "normalisation_arg1 = ?, normalisation_arg2 = ?, normalisation_reference = ?, cap = ?, "
            "direction = ?, lower_bound = ?, upper_bound = ?, target = ? where code = 'i_mm'",
            [
                method,
                name,
                float(args[0]) if args and name != "dist_to_ref" else None,
                float(args[1]) if len(args) > 1 else None,
                args[0].upper() if args else None,
                default_cap if cap is None else cap,
                direction,
                lower,
                upper,
                target,
            ],
        )
        got = dict(
            con.execute(
                f"select iso3, normalised_score from ({scratch.select('int_indicator_values_normalised')}) "
                "where indicator = 'i_mm'"
            ).fetchall()
        )
    finally:
        con.execute("rollback")
    expected = ref.normalise(
        np.array([np.nan if v is None else v for v in values]),
        method,
        direction,
        lower,
        upper,
        target,
        rounds=np.array(rounds),
        cap=cap,
        units=np.array([f"C{i}" for i in range(len(values))]),
    )
    for i, e in enumerate(expected):
        g = got[f"C{i}"]
        if math.isnan(e):
            assert g is None, (i, g)
        else:
            assert g == pytest.approx(e, rel=1e-9, abs=1e-6), (i, g, e)


TREE = {  # the hand catalogue: parent -> children
    "overall": ["d_arith", "d_geo", "d_harm", "d_cov", "d_misc"],
    "d_arith": ["i_mm", "i_gp"],
    "d_geo": ["i_z", "i_zero"],
    "d_harm": ["i_tg", "i_fr"],
    "d_cov": ["i_cf", "i_pm", "i_none"],
    "d_misc": ["i_rk", "i_log", "i_pi", "i_denom"],
}
LEAVES = [c for p in TREE.values() for c in p if c not in TREE]
score_value = st.one_of(st.none(), st.just(0.0), st.just(0.05), st.floats(min_value=0, max_value=100))


@SETTINGS
@given(
    scores=st.lists(score_value, min_size=len(LEAVES), max_size=len(LEAVES)),
    weights=st.lists(
        st.one_of(st.just(0.0), st.floats(min_value=0.1, max_value=5)),
        min_size=len(LEAVES) + 5,
        max_size=len(LEAVES) + 5,
    ),
    methods=st.lists(
        st.sampled_from(
            ["arithmetic", "geometric", "harmonic", "generalised:2", "generalised:-0.5", "generalised:0"]
        ),
        min_size=6,
        max_size=6,
    ),
    coverages=st.lists(st.sampled_from([0.0, 0.5, 0.65, 1.0]), min_size=6, max_size=6),
)
def test_aggregation_sql_equals_reference(scratch, scores, weights, methods, coverages):
    con = scratch.con
    nodes = list(TREE)
    weight_of = dict(zip(LEAVES + nodes[1:], weights, strict=True))
    con.execute("begin")
    try:
        con.execute("delete from intermediate.int_indicator_values_normalised")
        con.executemany(
            "insert into intermediate.int_indicator_values_normalised by name "
            "select 'AAA' as iso3, 2024 as round, ? as indicator, ? as normalised_score",
            [[leaf, s] for leaf, s in zip(LEAVES, scores, strict=True)],
        )
        for code, w in weight_of.items():
            con.execute(
                "update intermediate.int_catalogue_nodes_resolved set weight = ? where code = ?", [w, code]
            )
        for code, method, cov in zip(nodes, methods, coverages, strict=True):
            name, args = ref.option(method)
            con.execute(
                "update intermediate.int_catalogue_nodes_resolved set aggregation = ?, "
                "aggregation_method = ?, "
                "aggregation_p = ?, min_coverage = ? where code = ?",
                [method, name, float(args[0]) if args else None, cov, code],
            )
        got = dict(
            con.execute(
                f"select node, score from ({scratch.select('int_node_scores_aggregated')})"
            ).fetchall()
        )
    finally:
        con.execute("rollback")

    value = dict(zip(LEAVES, [math.nan if s is None else s for s in scores], strict=True))

    def compute(node):
        if node not in TREE:
            return value[node]
        i = nodes.index(node)
        kids = TREE[node]
        return ref.aggregate(
            [compute(k) for k in kids], [weight_of[k] for k in kids], methods[i], coverages[i]
        ).score

    for node in nodes:
        e = compute(node)
        if math.isnan(e):
            assert got[node] is None, node
        else:
            assert got[node] == pytest.approx(e, rel=1e-9, abs=1e-9), node


skewed = st.lists(
    st.one_of(st.floats(min_value=0, max_value=10), st.floats(min_value=100, max_value=10000)),
    min_size=4,
    max_size=30,
)


@SETTINGS
@given(
    values=skewed,
    rule=st.sampled_from(
        ["auto", "winsorise", "log", "none", "auto_log_ct", "auto:2", "auto_log_ct:6", "log_ct"]
    ),
    transform=st.sampled_from(["none", "log", "ln", "sqrt"]),
)
def test_treatment_sql_equals_reference(scratch, values, rule, transform):
    con = scratch.con
    con.execute("begin")
    try:
        con.execute("delete from intermediate.int_indicator_values_imputed")
        con.executemany(
            "insert into intermediate.int_indicator_values_imputed by name "
            "select ? as iso3, 2024 as round, 'i_mm' as indicator, ? as imputed_value",
            [[f"C{i}", v] for i, v in enumerate(values)],
        )
        con.execute(
            "update intermediate.int_catalogue_nodes_resolved set treatment = ?, transform = ?, "
            "transform_kind = ?, "
            "normalisation = 'minmax', normalisation_method = 'minmax' where code = 'i_mm'",
            [rule, transform, "log1p" if transform == "log" else transform],
        )
        rows = con.execute(
            f"select iso3, treated_value, winsorised_points, bound_log, log_ct_shift "
            f"from ({scratch.select('int_indicator_values_treated')}) where indicator = 'i_mm'"
        ).fetchall()
    finally:
        con.execute("rollback")
    expected = ref.treat(np.array(values), rule, "minmax", transform)
    got = {r[0]: r[1:] for r in rows}
    for i, e in enumerate(expected.values):
        treated, points, bound_log, shift = got[f"C{i}"]
        if math.isnan(e):
            # No value (ln of a value <= 0): no treatment, so none of the indicator's points is its own.
            assert treated is None and points == 0, (i, rule, transform, treated, points)
            continue
        assert treated == pytest.approx(e, rel=1e-9, abs=1e-9), (i, rule, transform)
        assert points == expected.points and bound_log == expected.bound_log, (rule, transform)
        if bound_log == "log_ct":
            assert shift == pytest.approx(expected.log_ct_shift, rel=1e-12)


def test_treatment_hand_example(scratch):
    """Nine 1s and a 100: skew 3.16, kurtosis 10 -> winsorise one point (100 -> 1)."""
    values = [1.0] * 9 + [100.0]
    treated = ref.treat(np.array(values), "auto", "minmax")
    assert treated.treatment == "winsorise" and treated.points == 1
    assert list(treated.values) == [1.0] * 10
    assert ref.skewness(values) == pytest.approx(3.1623, abs=1e-4)
    assert ref.kurtosis(values) == pytest.approx(10.0, abs=1e-9)

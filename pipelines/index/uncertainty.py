"""Uncertainty and sensitivity analysis of the index (OECD/JRC Handbook step 7; COINr's
get_sensitivity), vectorised over draws with numpy. Used by the dbt python models
`marts.rank_intervals` (Monte Carlo rank intervals) and `marts.sensitivity_indices` (Sobol indices).

The uncertain choices and their alternatives come from the dbt var `uncertainty` (Choices):
  weights        every node's weight times U(1 - noise, 1 + noise); noise 0 fixes them. For Sobol
                 analysis the weights are one discrete factor over `weight_replicates` noisy sets, as
                 COINr does.
  normalisation  alternatives applied to every leaf: `catalogue` (each leaf's own method) or a method
                 of the catalogue's vocabulary (minmax, zscore, rank, ...), each with the leaf's bounds.
  aggregation    alternatives applied to every internal node: `catalogue` or a method (arithmetic,
                 geometric, harmonic, generalised:<p>, copeland).
  imputation     `catalogue` (the SQL's imputed values), `none`, or any imputation rule for every leaf.
  treatment      `catalogue` (each leaf's rule), `none`, or any treatment rule for every leaf.
A choice with one alternative is not perturbed. Alternatives are drawn with equal probability.
Which units have a score is a fact of the data, not a modelling choice: the minimum-coverage rule
uses the catalogue's weights in every draw, so every draw ranks the same units as the nominal index.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipelines.index import reference as ref

CHOICES = ("weights", "normalisation", "aggregation", "imputation", "treatment")


@dataclass(frozen=True)
class Choices:
    weight_noise: float = 0.25
    weight_replicates: int = 100
    normalisation: tuple[str, ...] = ("catalogue", "minmax")
    aggregation: tuple[str, ...] = ("arithmetic", "geometric")
    imputation: tuple[str, ...] = ("catalogue",)
    treatment: tuple[str, ...] = ("catalogue",)

    @classmethod
    def from_var(cls, spec: dict | None, noise: float = 0.25) -> Choices:
        """The dbt var `uncertainty` ({weights: {noise, replicates}, normalisation: [...], ...});
        absent keys keep the defaults (the historical three perturbations)."""
        spec = spec or {}
        weights = spec.get("weights") or {}
        kwargs: dict = {"weight_noise": float(weights.get("noise", noise))}
        if "replicates" in weights:
            kwargs["weight_replicates"] = int(weights["replicates"])
        for name in ("normalisation", "aggregation", "imputation", "treatment"):
            if name in spec:
                values = spec[name]
                listed = [values] if isinstance(values, str) else values
                kwargs[name] = tuple(str(v).strip().lower() for v in listed)
        choices = cls(**kwargs)
        for name in ("normalisation", "aggregation", "imputation", "treatment"):
            if not getattr(choices, name):
                raise ValueError(f"uncertainty.{name}: give at least one alternative")
        return choices

    def perturbed(self) -> list[str]:
        """The choices that vary, in CHOICES order (the Sobol factors)."""
        out = ["weights"] if self.weight_noise > 0 else []
        return out + [c for c in CHOICES[1:] if len(getattr(self, c)) > 1]


@dataclass
class Tree:
    """The reachable catalogue nodes, ordered by level then code."""

    codes: list[str]
    parent: list[str | None]
    is_leaf: np.ndarray
    weight: np.ndarray
    aggregation: list[str | None]
    min_coverage: np.ndarray
    internal: list[int] = field(default_factory=list)  # deepest first
    children: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, nodes: pd.DataFrame) -> Tree:
        nodes = nodes.sort_values(["level", "code"]).reset_index(drop=True)
        codes = list(nodes["code"])
        index = {c: i for i, c in enumerate(codes)}
        parent = [None if pd.isna(p) else p for p in nodes["parent"]]
        tree = cls(
            codes=codes,
            parent=parent,
            is_leaf=nodes["is_leaf"].to_numpy(dtype=bool),
            weight=nodes["weight"].to_numpy(dtype=float),
            aggregation=[None if pd.isna(a) else str(a) for a in nodes["aggregation"]],
            min_coverage=nodes["min_coverage"].to_numpy(dtype=float),
        )
        order = nodes[~nodes["is_leaf"]].sort_values("level", ascending=False).index
        tree.internal = [int(i) for i in order]
        for i in tree.internal:
            tree.children[i] = [index[c] for c, p in zip(codes, parent, strict=True) if p == codes[i]]
        return tree

    @property
    def leaves(self) -> list[int]:
        return [i for i in range(len(self.codes)) if self.is_leaf[i]]

    @property
    def reported(self) -> list[int]:
        """The root and its children (the dimensions of marts.gap_indices)."""
        root = self.parent.index(None)
        return [root] + [i for i, p in enumerate(self.parent) if p == self.codes[root]]


def aggregate(
    children: np.ndarray, weights: np.ndarray, base: np.ndarray, method: str, min_coverage: float, eps: float
) -> np.ndarray:
    """children [D, N, k] (NaN = missing), weights [D, k] -> node scores [D, N] by one method, with
    the minimum-coverage rule on the catalogue weights `base` [k] and the monotonic zero rule."""
    present = ~np.isnan(children)
    w = weights[:, None, :] * present
    w_present = w.sum(axis=2)
    total = base.sum()
    coverage = (present * base[None, None, :]).sum(axis=2) / (total if total > 0 else np.nan)
    ok = (w_present > 0) & (coverage >= min_coverage - 1e-9) & ((present * base).sum(axis=2) > 0)
    safe = np.where(present, children, 1.0)
    floored = np.maximum(safe, eps)
    name, args = ref.option(method)
    p = float(args[0]) if name == "generalised" else None
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if name == "copeland":
            score = _copeland(children, weights, ok)
        elif name == "geometric" or p == 0:
            score = np.exp((w * np.log(floored)).sum(axis=2) / w_present)
        elif name == "harmonic":
            score = w_present / (w / floored).sum(axis=2)
        elif p is not None:
            base_values = np.maximum(safe, 0.0) if p > 0 else floored
            score = ((w * base_values**p).sum(axis=2) / w_present) ** (1.0 / p)
        else:
            score = (w * safe).sum(axis=2) / w_present
    return np.where(ok, score, np.nan)


def _copeland(children: np.ndarray, weights: np.ndarray, qualifies: np.ndarray) -> np.ndarray:
    """COINr a_copeland per draw: +1 per unit outranked, -1 per unit outranking (reference.copeland)."""
    a = children[:, :, None, :]
    b = children[:, None, :, :]
    both = ~np.isnan(a) & ~np.isnan(b) & qualifies[:, :, None, None] & qualifies[:, None, :, None]
    w = weights[:, None, None, :] * both
    shared = w.sum(axis=3)
    better = (w * (a > b)).sum(axis=3) + 0.5 * (w * (a == b)).sum(axis=3)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = better / shared
    sign = np.where(
        shared > 0, np.where(share > 0.5 + 1e-12, 1.0, np.where(share < 0.5 - 1e-12, -1.0, 0.0)), 0.0
    )
    n = children.shape[1]
    sign[:, np.arange(n), np.arange(n)] = 0.0
    return sign.sum(axis=2)


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """scores [..., N] -> rank 1 + number of strictly better scores; NaN where the score is NaN.
    Scores are compared rounded to 1e-9 points, as marts.scores ranks: units with the same data tie
    whatever last bits the engine that built the inputs left (sums in another order)."""
    valid = ~np.isnan(scores)
    filled = np.where(valid, np.round(scores, 9), -np.inf)
    better = (filled[..., None, :] > filled[..., :, None]).sum(axis=-1)
    return np.where(valid, 1.0 + better, np.nan)


@dataclass
class Panel:
    """Leaf inputs per round, unit and leaf, from int_indicator_values_normalised."""

    rounds: list[int]
    units: list[str]
    leaves: list[str]
    columns: dict[str, np.ndarray]  # name -> [R, N, L]
    leaf_info: pd.DataFrame  # indexed by leaf code
    groups: dict[str, list] = field(default_factory=dict)  # group column -> label per unit

    @classmethod
    def from_frames(
        cls,
        values: pd.DataFrame,
        leaf_info: pd.DataFrame,
        leaves: list[str],
        groups: dict[str, list] | None = None,
    ) -> Panel:
        units = sorted(values["iso3"].unique())
        rounds = sorted(int(r) for r in values["round"].unique())
        full = pd.MultiIndex.from_product([rounds, units, leaves], names=["round", "iso3", "indicator"])
        indexed = values.set_index(["round", "iso3", "indicator"]).reindex(full)
        shape = (len(rounds), len(units), len(leaves))
        columns = {}
        for name in ("denominated_value", "imputed_value", "treated_value", "normalised_score"):
            if name in indexed:
                columns[name] = indexed[name].to_numpy(dtype=float).reshape(shape)
        return cls(rounds, units, leaves, columns, leaf_info.reindex(leaves), groups or {})

    def leaf_scores(self, imputation: str, treatment: str, normalisation: str) -> np.ndarray:
        """Leaf scores [R, N, L] under one combination of alternatives."""
        if (imputation, treatment, normalisation) == ("catalogue", "catalogue", "catalogue"):
            return self.columns["normalised_score"]
        out = np.full(self.columns["imputed_value"].shape, np.nan)
        round_of = np.repeat(np.array(self.rounds)[:, None], len(self.units), axis=1)
        unit_of = np.repeat(np.array(self.units)[None, :], len(self.rounds), axis=0)
        for j, leaf in enumerate(self.leaves):
            info = self.leaf_info.loc[leaf]
            imputed = self._imputed(j, info, imputation)
            if imputation == "catalogue" and treatment == "catalogue":
                values = self.columns["treated_value"][:, :, j]
                treated = ref.Treated(
                    values.ravel(),
                    "catalogue",
                    0,
                    _text(info, "transform_kind", "none"),
                    _text(info, "bound_log", None),
                    _number(info, "log_ct_shift"),
                )
            else:
                rule = _text(info, "treatment", "auto") if treatment == "catalogue" else treatment
                treated = ref.treat(
                    imputed.ravel(),
                    rule,
                    _text(info, "normalisation", "minmax"),
                    _text(info, "transform_kind", "none"),
                )
            method = _text(info, "normalisation", "minmax") if normalisation == "catalogue" else normalisation
            scores = ref.normalise(
                treated.values,
                method,
                int(info["direction"]),
                _number(info, "lower_bound"),
                _number(info, "upper_bound"),
                _number(info, "target"),
                rounds=round_of.ravel(),
                treated=treated,
                cap=_flag(info, "cap") if normalisation == "catalogue" else None,
                units=unit_of.ravel(),
            )
            out[:, :, j] = scores.reshape(out.shape[:2])
        return out

    def _imputed(self, j: int, info, imputation: str) -> np.ndarray:
        if imputation == "catalogue":
            return self.columns["imputed_value"][:, :, j]
        observed = self.columns["denominated_value"][:, :, j]
        if imputation == "none":
            return observed
        panel = ref.impute(observed.T, self.rounds, imputation, self.groups, min_peers=1)
        return panel.T


def _text(info, key, default):
    value = info.get(key) if hasattr(info, "get") else None
    return default if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _number(info, key) -> float:
    value = info.get(key) if hasattr(info, "get") else None
    return math.nan if value is None or pd.isna(value) else float(value)


def _flag(info, key):
    value = info.get(key) if hasattr(info, "get") else None
    return None if value is None or pd.isna(value) else bool(value)


@dataclass
class Design:
    """Per draw: the index of each choice's alternative and the weights [D, codes]."""

    normalisation: np.ndarray
    aggregation: np.ndarray
    imputation: np.ndarray
    treatment: np.ndarray
    weights: np.ndarray


def monte_carlo_design(choices: Choices, tree: Tree, draws: int, seed: int) -> Design:
    """Random draws. The stream (normalisation, aggregation, weights, then imputation and treatment
    when perturbed) keeps the historical default's draws: a pair of alternatives picks the second
    with probability 1/2 as `u < 0.5`."""
    rng = np.random.default_rng(seed)
    normalisation = _pick(rng.random(draws), len(choices.normalisation))
    aggregation = _pick(rng.random(draws), len(choices.aggregation))
    noise = choices.weight_noise
    weights = rng.uniform(1.0 - noise, 1.0 + noise, size=(draws, len(tree.codes))) * tree.weight[None, :]
    fixed = np.zeros(draws, int)
    imputation = _pick(rng.random(draws), len(choices.imputation)) if len(choices.imputation) > 1 else fixed
    treatment = _pick(rng.random(draws), len(choices.treatment)) if len(choices.treatment) > 1 else fixed
    return Design(normalisation, aggregation, imputation, treatment, weights)


def _pick(u: np.ndarray, k: int) -> np.ndarray:
    """Uniform u in [0, 1) -> an alternative 0..k-1, each with probability 1/k (u < 1/k -> k - 1)."""
    return (k - 1) - np.minimum((u * k).astype(int), k - 1)


def sobol_design(
    choices: Choices, tree: Tree, base_samples: int, seed: int
) -> tuple[Design, dict, np.ndarray]:
    """Saltelli's sampling (SALib) over the perturbed choices, each a factor on [0, 1) mapped to an
    alternative; weights map to one of `weight_replicates` noisy weight sets."""
    from SALib.sample import sobol as sobol_sample

    names = choices.perturbed()
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    draws = x.shape[0]
    rng = np.random.default_rng(seed)
    noise = choices.weight_noise
    replicates = rng.uniform(1.0 - noise, 1.0 + noise, size=(choices.weight_replicates, len(tree.codes)))

    def column(name: str, k: int) -> np.ndarray:
        if name not in names:
            return np.zeros(draws, int)
        return np.minimum((x[:, names.index(name)] * k).astype(int), k - 1)

    weight_pick = column("weights", choices.weight_replicates)
    weights = (
        replicates[weight_pick] if "weights" in names else np.ones((draws, len(tree.codes)))
    ) * tree.weight
    design = Design(
        column("normalisation", len(choices.normalisation)),
        column("aggregation", len(choices.aggregation)),
        column("imputation", len(choices.imputation)),
        column("treatment", len(choices.treatment)),
        weights,
    )
    return design, problem, x


def simulate_scores(panel: Panel, tree: Tree, choices: Choices, design: Design, eps: float):
    """Yield (round index, scores [D, N, codes]) for every round under the design's draws."""
    combos = list(
        itertools.product(
            range(len(choices.imputation)), range(len(choices.treatment)), range(len(choices.normalisation))
        )
    )
    stacked = np.stack(
        [
            panel.leaf_scores(choices.imputation[i], choices.treatment[t], choices.normalisation[n])
            for i, t, n in combos
        ]
    )
    combo_of = {c: k for k, c in enumerate(combos)}
    pick = np.array(
        [
            combo_of[(i, t, n)]
            for i, t, n in zip(design.imputation, design.treatment, design.normalisation, strict=True)
        ]
    )
    leaf_columns = [tree.codes.index(code) for code in panel.leaves]
    draws = len(pick)
    for r in range(len(panel.rounds)):
        scores = np.full((draws, len(panel.units), len(tree.codes)), np.nan)
        scores[:, :, leaf_columns] = stacked[pick, r]
        for node in tree.internal:
            kids = tree.children[node]
            result = np.full((draws, len(panel.units)), np.nan)
            for a, alternative in enumerate(choices.aggregation):
                rows = design.aggregation == a
                if not rows.any():
                    continue
                method = tree.aggregation[node] if alternative == "catalogue" else alternative
                result[rows] = aggregate(
                    scores[rows][:, :, kids],
                    design.weights[rows][:, kids],
                    tree.weight[kids],
                    method or "arithmetic",
                    float(tree.min_coverage[node]),
                    eps,
                )
            scores[:, :, node] = result
        yield r, scores


def nominal_scores(panel: Panel, tree: Tree, eps: float) -> np.ndarray:
    """The catalogue's own choices [R, N, codes], by the same code as the draws."""
    design = Design(
        np.zeros(1, int), np.zeros(1, int), np.zeros(1, int), np.zeros(1, int), tree.weight[None, :]
    )
    nominal = Choices(0.0, 1, ("catalogue",), ("catalogue",), ("catalogue",), ("catalogue",))
    return np.stack([s[0] for _, s in simulate_scores(panel, tree, nominal, design, eps)])


RANK_COLUMNS = ["iso3", "round", "dimension", "median_rank", "rank_p05", "rank_p95", "draws", "nominal_rank"]


def rank_intervals(
    panel: Panel, tree: Tree, choices: Choices, draws: int, seed: int, eps: float
) -> pd.DataFrame:
    """Median and 5th / 95th percentile rank per unit, round and dimension over the Monte Carlo draws."""
    import warnings

    design = monte_carlo_design(choices, tree, draws, seed)
    nominal = nominal_scores(panel, tree, eps)
    rows = []
    for r, scores in simulate_scores(panel, tree, choices, design, eps):
        for node in tree.reported:
            ranks = competition_ranks(scores[:, :, node])
            nominal_ranks = competition_ranks(nominal[r, :, node])
            counted = (~np.isnan(ranks)).sum(axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a unit never ranked: all-NaN
                p05, p50, p95 = np.nanpercentile(ranks, [5, 50, 95], axis=0)
            for u, unit in enumerate(panel.units):
                rows.append(
                    (
                        unit,
                        panel.rounds[r],
                        tree.codes[node],
                        p50[u],
                        p05[u],
                        p95[u],
                        int(counted[u]),
                        nominal_ranks[u],
                    )
                )
    return pd.DataFrame(rows, columns=RANK_COLUMNS)


SOBOL_COLUMNS = [
    "round",
    "dimension",
    "choice",
    "first_order",
    "first_order_conf",
    "total",
    "total_conf",
    "evaluations",
    "output",
]


def sobol_indices(
    panel: Panel, tree: Tree, choices: Choices, base_samples: int, seed: int, eps: float
) -> pd.DataFrame:
    """First-order and total Sobol indices of each perturbed choice, per round and dimension, for the
    output `mean_abs_rank_shift`: the mean over ranked units of |rank - nominal rank| (the JRC
    audits' summary of rank uncertainty)."""
    from SALib.analyze import sobol as sobol_analyze

    if not choices.perturbed() or base_samples <= 0:
        return pd.DataFrame(columns=SOBOL_COLUMNS)
    design, problem, _ = sobol_design(choices, tree, base_samples, seed)
    nominal = nominal_scores(panel, tree, eps)
    rows = []
    for r, scores in simulate_scores(panel, tree, choices, design, eps):
        for node in tree.reported:
            nominal_ranks = competition_ranks(nominal[r, :, node])
            ranks = competition_ranks(scores[:, :, node])
            shift = np.abs(ranks - nominal_ranks[None, :])
            ranked = ~np.isnan(nominal_ranks)
            y = shift[:, ranked].mean(axis=1) if ranked.any() else np.zeros(len(shift))
            if np.nanvar(y) <= 0:  # no rank ever moves: no variance to share out
                zeros = [0.0] * len(problem["names"])
                result = {"S1": zeros, "ST": zeros, "S1_conf": zeros, "ST_conf": zeros}
            else:
                result = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
            for k, name in enumerate(problem["names"]):
                rows.append(
                    (
                        panel.rounds[r],
                        tree.codes[node],
                        name,
                        float(result["S1"][k]),
                        float(result["S1_conf"][k]),
                        float(result["ST"][k]),
                        float(result["ST_conf"][k]),
                        len(y),
                        "mean_abs_rank_shift",
                    )
                )
    return pd.DataFrame(rows, columns=SOBOL_COLUMNS)


# ------------------------------------------------------------------------------- dbt python models

VALUE_COLUMNS = (
    "iso3, round, indicator, denominated_value, imputed_value, treated_value, normalised_score, direction, "
    "bound_log, log_ct_shift"
)
NODE_COLUMNS = (
    "code, parent, level, is_leaf, weight, aggregation, min_coverage, normalisation, lower_bound, "
    "upper_bound, target, cap, transform_kind, treatment, direction"
)
NOT_GROUPS = {"iso3", "iso2", "iso_numeric", "name_en", "name_fr", "name_ar", "wb_name"}


def read_inputs(values_relation, nodes_relation, countries_relation):
    """The tables the uncertainty marts read: leaf values, reachable nodes, the unit list. Each may
    be whatever the engine hands over (a DuckDB relation from dbt.ref, a Spark DataFrame, a pyarrow
    Table read from Parquet, a pandas frame): only the columns named here are read, into pandas, so
    the math is the same whatever engine built the tables (docs/portability.md)."""
    values = as_pandas(values_relation, _names(VALUE_COLUMNS))
    nodes = as_pandas(nodes_relation, _names(NODE_COLUMNS))
    nodes = nodes[nodes["level"].notna()].reset_index(drop=True)
    return values, nodes, as_pandas(countries_relation)


def _names(columns: str) -> list[str]:
    return [c.strip() for c in columns.split(",")]


def as_pandas(table, columns: list[str] | None = None) -> pd.DataFrame:
    """These columns (all: None) of a DuckDB relation, Spark DataFrame, pyarrow Table or pandas
    frame, as pandas; the engine drops the other columns before anything is copied."""
    if isinstance(table, pd.DataFrame):
        return table if columns is None else table[columns]
    if hasattr(table, "toPandas"):  # Spark DataFrame
        return (table if columns is None else table.select(*columns)).toPandas()
    if hasattr(table, "to_pandas"):  # pyarrow Table
        return (table if columns is None else table.select(columns)).to_pandas()
    return (table if columns is None else table.project(", ".join(columns))).df()  # DuckDB relation


def choices_from_meta(meta: dict) -> Choices:
    """dbt renders the var `uncertainty` into the model's meta as JSON text."""
    import json

    spec = meta.get("uncertainty")
    if isinstance(spec, str):
        spec = None if spec.strip() in ("", "null", "None", "none") else json.loads(spec)
    return Choices.from_var(
        spec if isinstance(spec, dict) else None, float(meta.get("mc_weight_noise", 0.25))
    )


def panel_and_tree(values: pd.DataFrame, nodes: pd.DataFrame, countries: pd.DataFrame) -> tuple[Panel, Tree]:
    tree = Tree.from_frame(nodes)
    leaves = [tree.codes[i] for i in tree.leaves]
    info = (
        nodes[nodes["is_leaf"]]
        .set_index("code")
        .join(values.groupby("indicator")[["bound_log", "log_ct_shift"]].first())
    )
    units = sorted(values["iso3"].unique())
    listed = countries.assign(iso3=countries["iso3"].astype(str).str.strip().str.upper()).set_index("iso3")
    groups = {
        str(c).lower(): [None if pd.isna(v) else str(v) for v in listed[c].reindex(units)]
        for c in listed.columns
        if str(c).lower() not in NOT_GROUPS
    }
    return Panel.from_frames(values, info, leaves, groups), tree


def data_label(meta: dict) -> str | None:
    label = meta.get("data_label")
    return None if label in (None, "", "None", "none", "null") else str(label)

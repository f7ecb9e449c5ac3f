"""Monte Carlo rank intervals of the index and its dimensions (OECD/JRC Handbook step 8).

Each draw perturbs three modelling choices at once, the same draw for every round:
  * weights: every node's catalogue weight times an independent U(1 - noise, 1 + noise) factor
    (noise = dbt var `mc_weight_noise`, 0.25); the minimum-coverage rule keeps the catalogue
    weights, so every draw ranks the same countries as the nominal index;
  * normalisation: the catalogue's method for every indicator, or min-max over the pooled panel
    (probability 1/2);
  * aggregation: every internal node arithmetic, or every internal node geometric (probability 1/2),
    with the same zero rule and minimum-coverage rule as int_node_scores_aggregated.
Ranks are competition ranks (1 = best) among the countries that have a score. The
output is the median and the 5th / 95th percentiles of each country's rank over the draws that rank
it (`draws`), next to the nominal rank of the catalogue's own choices. Seeded (dbt var `mc_seed`):
the same inputs and seed give the same intervals. Vectorised over draws and countries with numpy.
"""

import warnings

import numpy as np
import pandas as pd


def _minmax_pooled(values: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Min-max to 0-100 per indicator (columns) over all rows; direction -1 flips; no spread -> 50."""
    with np.errstate(invalid="ignore", divide="ignore", all="ignore"):
        lo = np.nanmin(np.where(np.isnan(values), np.inf, values), axis=0)
        hi = np.nanmax(np.where(np.isnan(values), -np.inf, values), axis=0)
        spread = hi - lo
        scaled = np.where(spread > 0, (values - lo) / np.where(spread > 0, spread, 1.0) * 100.0, 50.0)
    scaled = np.where(direction < 0, 100.0 - scaled, scaled)
    return np.where(np.isnan(values), np.nan, scaled)


def _aggregate(children: np.ndarray, weights: np.ndarray, base_weights: np.ndarray, geometric: np.ndarray,
               min_coverage: float, eps: float) -> np.ndarray:
    """children [D, N, k] scores (NaN = missing), weights [D, k], geometric [D] bool -> [D, N].

    Coverage is judged with the catalogue's weights (base_weights [k]): which countries have a score
    is a fact of the data, not a modelling choice, so every draw ranks the same set of countries."""
    present = ~np.isnan(children)
    w = weights[:, None, :] * present
    w_present = w.sum(axis=2)
    base_total = base_weights.sum()
    coverage = (present * base_weights[None, None, :]).sum(axis=2) / (base_total if base_total > 0 else np.nan)
    safe = np.where(present, children, 1.0)
    arithmetic = (w * safe).sum(axis=2)
    logs = (w * np.log(np.where(safe == 0, eps, safe))).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(geometric[:, None], np.exp(logs / w_present), arithmetic / w_present)
    ok = (w_present > 0) & (coverage >= min_coverage - 1e-9)
    return np.where(ok, score, np.nan)


def _aggregate_catalogue(children, weights, method, min_coverage, eps):
    """Nominal aggregation with the catalogue's own method (arithmetic, geometric or harmonic)."""
    present = ~np.isnan(children)
    w = weights[None, :] * present
    w_present = w.sum(axis=1)
    coverage = w_present / weights.sum() if weights.sum() > 0 else np.full(w_present.shape, np.nan)
    safe = np.where(present, children, 1.0)
    floored = np.where(safe == 0, eps, safe)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "geometric":
            score = np.exp((w * np.log(floored)).sum(axis=1) / w_present)
        elif method == "harmonic":
            score = w_present / (w / floored).sum(axis=1)
        else:
            score = (w * safe).sum(axis=1) / w_present
    return np.where((w_present > 0) & (coverage >= min_coverage - 1e-9), score, np.nan)


def _competition_ranks(scores: np.ndarray) -> np.ndarray:
    """scores [..., N] -> rank 1 + number of strictly better scores; NaN where the score is NaN."""
    valid = ~np.isnan(scores)
    filled = np.where(valid, scores, -np.inf)
    better = (filled[..., None, :] > filled[..., :, None]).sum(axis=-1)
    return np.where(valid, 1.0 + better, np.nan)


def simulate(values: pd.DataFrame, nodes: pd.DataFrame, seed: int, draws: int, noise: float,
             eps: float) -> pd.DataFrame:
    """values: iso3, round, indicator, treated_value, normalised_score, direction (full panel).
    nodes: code, parent, level, is_leaf, weight, aggregation, min_coverage (reachable nodes)."""
    nodes = nodes.sort_values(["level", "code"]).reset_index(drop=True)
    codes = list(nodes["code"])
    index = {code: i for i, code in enumerate(codes)}
    leaves = [c for c, leaf in zip(codes, nodes["is_leaf"]) if leaf]
    root = nodes.loc[nodes["level"] == 0, "code"].iloc[0]
    reported = [root] + list(nodes.loc[nodes["parent"] == root, "code"])
    internal = nodes[~nodes["is_leaf"]].sort_values("level", ascending=False)
    children_of = {
        code: [index[c] for c in nodes.loc[nodes["parent"] == code, "code"]] for code in internal["code"]
    }
    base_weight = nodes["weight"].to_numpy(dtype=float)

    rng = np.random.default_rng(seed)
    use_minmax = rng.random(draws) < 0.5
    geometric = rng.random(draws) < 0.5
    multipliers = rng.uniform(1.0 - noise, 1.0 + noise, size=(draws, len(codes)))
    weights = multipliers * base_weight[None, :]

    countries = sorted(values["iso3"].unique())
    rounds = sorted(values["round"].unique())
    panel = values.set_index(["round", "iso3", "indicator"])
    full = pd.MultiIndex.from_product([rounds, countries, leaves], names=["round", "iso3", "indicator"])
    panel = panel.reindex(full)
    shape = (len(rounds), len(countries), len(leaves))
    treated = panel["treated_value"].to_numpy(dtype=float).reshape(shape)
    catalogue = panel["normalised_score"].to_numpy(dtype=float).reshape(shape)
    direction = (
        values.drop_duplicates("indicator").set_index("indicator")["direction"].reindex(leaves).fillna(1)
        .to_numpy(dtype=float)
    )
    minmax = _minmax_pooled(treated.reshape(-1, len(leaves)), direction).reshape(shape)

    rows = []
    for r, round_ in enumerate(rounds):
        leaf_scores = np.where(use_minmax[:, None, None], minmax[r][None], catalogue[r][None])
        simulated = np.full((draws, len(countries), len(codes)), np.nan)
        nominal = np.full((len(countries), len(codes)), np.nan)
        for j, leaf in enumerate(leaves):
            simulated[:, :, index[leaf]] = leaf_scores[:, :, j]
            nominal[:, index[leaf]] = catalogue[r][:, j]
        for node in internal.itertuples():
            kids = children_of[node.code]
            simulated[:, :, index[node.code]] = _aggregate(
                simulated[:, :, kids], weights[:, kids], base_weight[kids], geometric, float(node.min_coverage), eps
            )
            nominal[:, index[node.code]] = _aggregate_catalogue(
                nominal[:, kids], base_weight[kids], node.aggregation, float(node.min_coverage), eps
            )
        for dimension in reported:
            ranks = _competition_ranks(simulated[:, :, index[dimension]])  # [D, N]
            nominal_ranks = _competition_ranks(nominal[:, index[dimension]])
            counted = (~np.isnan(ranks)).sum(axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a country never ranked: all-NaN
                p05, p50, p95 = np.nanpercentile(ranks, [5, 50, 95], axis=0)
            for c, iso3 in enumerate(countries):
                rows.append((iso3, int(round_), dimension, p50[c], p05[c], p95[c], int(counted[c]),
                             nominal_ranks[c]))
    return pd.DataFrame(
        rows,
        columns=["iso3", "round", "dimension", "median_rank", "rank_p05", "rank_p95", "draws", "nominal_rank"],
    )


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    seed = int(meta.get("mc_seed", 20250924))
    draws = int(meta.get("mc_draws", 1000))
    noise = float(meta.get("mc_weight_noise", 0.25))
    eps = float(meta.get("geometric_zero_floor", 0.1))
    label = meta.get("data_label")
    label = None if label in (None, "", "None", "none", "null") else str(label)

    values = dbt.ref("int_indicator_values_normalised").project(
        "iso3, round, indicator, treated_value, normalised_score, direction"
    ).df()
    nodes = dbt.ref("int_catalogue_nodes_resolved").filter("level is not null").project(
        "code, parent, level, is_leaf, weight, aggregation, min_coverage"
    ).df()
    if values.empty or nodes.empty:
        result = pd.DataFrame(
            columns=["iso3", "round", "dimension", "median_rank", "rank_p05", "rank_p95", "draws", "nominal_rank"]
        )
    else:
        result = simulate(values, nodes, seed, draws, noise, eps)
    result = result.astype({"iso3": "string", "dimension": "string", "round": "int32", "draws": "int32",
                            "median_rank": "float64", "rank_p05": "float64", "rank_p95": "float64",
                            "nominal_rank": "float64"})
    result["mc_seed"] = np.int64(seed)
    result["data_label"] = pd.Series([label] * len(result), dtype="string")
    return result

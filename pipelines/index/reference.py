"""Reference implementation of the gap-index math (docs/methodology.md), one function per step.

Every function mirrors one dbt model and is written for clarity, not speed:
  impute      int_indicator_values_imputed     (mean, median, group_*, carry_forward, linear, constant)
  treat       int_indicator_values_treated     (transforms; COINr winsorise-or-log rule)
  normalise   int_indicator_values_normalised  (minmax, goalposts, scaled, zscore, target, frontier,
                                                dist_to_ref, frac_max, rank, rank_raw, borda)
  aggregate   int_node_scores_aggregated       (arithmetic, geometric, harmonic, generalised:<p>;
  copeland                                      Copeland outranking; coverage rule)
NaN stands for SQL NULL. Options are the catalogue's text (`auto_log_ct:6`, `scaled:0:10`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ZERO_FLOOR = 0.1
SKEW_LIMIT = 2.0
KURT_LIMIT = 3.5
MAX_POINTS = 5
MIN_PEERS = 2


def option(text: str | None) -> tuple[str, list[str]]:
    """`method:arg1:arg2` -> ('method', ['arg1', 'arg2']); blank -> ('', [])."""
    parts = [p.strip() for p in (text or "").split(":")]
    return parts[0].lower(), [p for p in parts[1:] if p != ""]


def safe_log(x):
    """ln(1 + x); NaN at x <= -1."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(x > -1, np.log1p(np.where(x > -1, x, 0.0)), np.nan)


def transform(x, kind: str | None):
    """Catalogue transform: none | ln (NaN at x <= 0) | log1p, alias log (NaN at x <= -1) | sqrt
    (NaN at x < 0)."""
    x = np.asarray(x, dtype=float)
    kind = (kind or "none").lower()
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "ln":
            return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
        if kind in ("log", "log1p"):
            return safe_log(x)
        if kind == "sqrt":
            return np.where(x >= 0, np.sqrt(np.where(x >= 0, x, 0.0)), np.nan)
    if kind != "none":
        raise ValueError(f"unknown transform {kind}")
    return x


# ---------------------------------------------------------------------------------------- imputation


def impute(
    values,
    rounds,
    rule: str,
    groups: dict[str, list] | None = None,
    min_peers: int = MIN_PEERS,
    index_rounds=None,
) -> np.ndarray:
    """values [units x rounds] of one indicator (NaN = missing), rounds [rounds] years ascending.
    groups: column -> label per unit (None = no group). Returns the imputed panel over
    `index_rounds` (default all rounds): observed values kept, missing ones imputed by `rule`."""
    v = np.asarray(values, dtype=float)
    years = np.asarray(rounds)
    keep = np.isin(years, years if index_rounds is None else np.asarray(index_rounds))
    method, args = option(rule)
    out = v.copy()
    n_units = v.shape[0]
    for j in np.flatnonzero(keep):
        column = v[:, j]
        for i in range(n_units):
            if not math.isnan(column[i]):
                continue
            out[i, j] = _impute_one(v, years, i, j, method, args, groups or {}, min_peers)
    return out[:, keep]


def _impute_one(v, years, i, j, method, args, groups, min_peers) -> float:
    column = v[:, j]
    observed = ~np.isnan(column)
    if method in ("mean", "median"):
        peers = column[observed]
    elif method in ("group_mean", "group_median", "peer_median"):
        labels = groups[args[0].lower()]
        if labels[i] is None:
            return math.nan
        same = np.array([label == labels[i] for label in labels])
        peers = column[observed & same]
        method = "group_mean" if method == "group_mean" else "group_median"
    elif method == "carry_forward":
        earlier = [k for k in range(j) if not math.isnan(v[i, k])]
        if earlier and years[j] - years[earlier[-1]] <= int(args[0]):
            return float(v[i, earlier[-1]])
        return math.nan
    elif method == "linear":
        earlier = [k for k in range(j) if not math.isnan(v[i, k])]
        later = [k for k in range(j + 1, v.shape[1]) if not math.isnan(v[i, k])]
        if not earlier or not later:
            return math.nan
        a, b = earlier[-1], later[0]
        gap = int(args[0])
        if years[j] - years[a] > gap or years[b] - years[j] > gap:
            return math.nan
        return float(v[i, a] + (v[i, b] - v[i, a]) * (years[j] - years[a]) / (years[b] - years[a]))
    elif method == "constant":
        return float(args[0])
    else:
        return math.nan
    if len(peers) < min_peers:
        return math.nan
    return float(np.mean(peers) if method.endswith("mean") else np.median(peers))


# ----------------------------------------------------------------------------------- shape statistics


def _no_spread(x: np.ndarray, m2: float) -> bool:
    """Relative variance below 1e-20: no shape (macros/shape_statistics.sql)."""
    mean = float(x.mean())
    return m2 <= 1e-20 * (1 + mean * mean)


def skewness(x: np.ndarray) -> float:
    """Bias-corrected sample skewness (as DuckDB `skewness`); NaN for n < 3 or no spread."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n < 3:
        return math.nan
    d = x - x.mean()
    m2 = (d**2).mean()
    if _no_spread(x, m2):
        return math.nan
    g1 = (d**3).mean() / m2**1.5
    return math.sqrt(n * (n - 1)) / (n - 2) * g1


def kurtosis(x: np.ndarray) -> float:
    """Bias-corrected sample excess kurtosis (as DuckDB `kurtosis`); NaN for n < 4 or no spread."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n < 4:
        return math.nan
    d = x - x.mean()
    m2 = (d**2).mean()
    if _no_spread(x, m2):
        return math.nan
    g2 = (d**4).mean() / m2**2 - 3.0
    return (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6.0)


def _outlying(x: np.ndarray, skew_limit: float, kurt_limit: float) -> tuple[bool, float]:
    s, k = skewness(x), kurtosis(x)
    s = 0.0 if math.isnan(s) else s
    k = 0.0 if math.isnan(k) else k
    # 1e-9: a shape exactly at a limit is not over it, whatever the last floating-point bit says.
    return abs(s) > skew_limit + 1e-9 and k > kurt_limit + 1e-9, s


# ------------------------------------------------------------------------------------------ treatment


@dataclass
class Treated:
    values: np.ndarray
    treatment: str  # none | winsorise | log | log_ct
    points: int
    transform_kind: str = "none"
    bound_log: str | None = None  # log1p | log_ct: the log applied after the transform
    log_ct_shift: float = math.nan

    def bound(self, value) -> float:
        """A catalogue bound in the indicator's own unit, through the same transform and log."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return math.nan
        v = float(transform(float(value), self.transform_kind))
        if self.bound_log == "log1p":
            v = float(safe_log(v))
        elif self.bound_log == "log_ct":
            v = math.log(v + self.log_ct_shift) if v + self.log_ct_shift > 0 else math.nan
        return v


UNTREATED_UNDER_AUTO = ("goalposts", "target", "scaled", "rank", "rank_raw", "borda")


def treat(
    values,
    rule: str = "auto",
    normalisation: str = "minmax",
    transform_kind: str = "none",
    skew_limit: float = SKEW_LIMIT,
    kurt_limit: float = KURT_LIMIT,
    max_points: int = MAX_POINTS,
) -> Treated:
    """Transform then treat outliers over the pooled panel (NaN = missing, kept NaN).

    COINr's rule: while outlying, the most extreme distinct value on the side of the *current* skew
    (>= 0: high) takes the value of the next one; at most m steps (`auto:<m>`); still outlying:
    ln(1 + x) (`auto`) or log_CT (`auto_log_ct`) of the untreated values."""
    kind = "log1p" if transform_kind == "log" else transform_kind
    x = transform(values, kind)
    method, args = option(rule)
    m = int(args[0]) if args else max_points
    present = x[~np.isnan(x)]
    shift = (0.01 * (present.max() - present.min()) - present.min()) if len(present) else math.nan
    norm_method, _ = option(normalisation)
    if method in ("auto", "auto_log_ct") and norm_method in UNTREATED_UNDER_AUTO:
        method = "none"
    if method == "none" or len(present) == 0:
        return Treated(x, "none", 0, kind)
    if method == "log":
        return Treated(safe_log(x), "log", 0, kind, "log1p")
    if method == "log_ct":
        return Treated(_log_ct(x, shift), "log_ct", 0, kind, "log_ct", shift)
    ordered = np.unique(present)  # ascending distinct values
    h = low = 0
    while True:
        high_cap = ordered[len(ordered) - 1 - h]
        low_cap = ordered[low]
        w = np.clip(present, low_cap, high_cap)
        outlying, skew = _outlying(w, skew_limit, kurt_limit)
        if not outlying or h + low >= m:
            break
        if skew >= 0:
            h += 1
        else:
            low += 1
    if outlying and method == "auto":
        return Treated(safe_log(x), "log", 0, kind, "log1p")
    if outlying and method == "auto_log_ct":
        return Treated(_log_ct(x, shift), "log_ct", 0, kind, "log_ct", shift)
    if h + low == 0:
        return Treated(x, "none", 0, kind)
    treated = np.clip(x, low_cap, high_cap)
    points = int(((present > high_cap) & (h > 0)).sum() + ((present < low_cap) & (low > 0)).sum())
    return Treated(treated, "winsorise", points, kind)


def _log_ct(x: np.ndarray, shift: float) -> np.ndarray:
    """COINr log_CT: ln(x - min + 0.01 (max - min)) = ln(x + shift)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(x + shift > 0, np.log(np.where(x + shift > 0, x + shift, 1.0)), np.nan)


# -------------------------------------------------------------------------------------- normalisation


def _percent_rank(x: np.ndarray) -> np.ndarray:
    """SQL percent_rank over non-NULL values: (rank - 1) / (n - 1), ties share the lowest rank."""
    out = np.full(len(x), np.nan)
    ok = ~np.isnan(x)
    v = x[ok]
    n = len(v)
    if n == 0:
        return out
    ranks = np.array([(v < a).sum() for a in v], dtype=float)
    out[ok] = ranks / (n - 1) if n > 1 else 0.0
    return out


def _min_rank(x: np.ndarray) -> np.ndarray:
    """R's rank(ties = 'min', na.last = 'keep'): 1 + number of strictly smaller values."""
    out = np.full(len(x), np.nan)
    ok = ~np.isnan(x)
    v = x[ok]
    out[ok] = [1.0 + (v < a).sum() for a in v]
    return out


def normalise(
    values,
    method: str,
    direction: int = 1,
    lower=None,
    upper=None,
    target=None,
    rounds=None,
    treated: Treated | None = None,
    cap: bool | None = None,
    units=None,
) -> np.ndarray:
    """Scores of treated values over the pooled panel; `rounds` groups the per-round methods
    (rank, rank_raw, borda, dist_to_ref); `treated` passes the bounds through the same transforms;
    `units` names the rows (dist_to_ref:<unit>)."""
    y = np.asarray(values, dtype=float)
    name, args = option(method)
    scores = np.full(len(y), np.nan)
    present = y[~np.isnan(y)]
    if len(present) == 0:
        return scores
    t = treated or Treated(y, "none", 0)
    lo_t, up_t, ta_t = (t.bound(b) for b in (lower, upper, target))
    pmin, pmax = present.min(), present.max()
    rounds = np.zeros(len(y)) if rounds is None else np.asarray(rounds)
    if cap is None:
        cap = name in ("goalposts", "target")

    def pick(given, fallback):
        return fallback if math.isnan(given) else given

    if name == "zscore":
        sd = present.std(ddof=1) if len(present) > 1 else math.nan
        mean_to, sd_to = (float(args[0]), float(args[1])) if args else (50.0, 10.0)
        if math.isnan(sd) or sd == 0:
            return np.where(np.isnan(y), np.nan, mean_to)
        z = mean_to + sd_to * direction * (y - present.mean()) / sd
        return z if args else np.clip(z, 0.0, 100.0)
    if name in ("rank", "rank_raw", "borda", "dist_to_ref"):
        for r in np.unique(rounds):
            sel = rounds == r
            sub = y[sel]
            n = (~np.isnan(sub)).sum()
            if name == "rank":
                pr = _percent_rank(sub * direction)
                scores[sel] = np.where(np.isnan(sub), np.nan, 50.0 if n <= 1 else 100.0 * pr)
            elif name in ("rank_raw", "borda"):
                scores[sel] = _min_rank(sub * direction) - (1.0 if name == "borda" else 0.0)
            else:
                names = np.asarray(units)[sel]
                ref_rows = sub[names == args[0].upper()]
                ref_value = ref_rows[0] if len(ref_rows) else math.nan
                zero_at = np.nanmin(sub) if direction == 1 else np.nanmax(sub)
                scores[sel] = _linear(sub, zero_at, ref_value, "top" if cap else "none")
        return scores
    if name == "minmax":
        zero_at, full_at = (pmin, pmax) if direction == 1 else (pmax, pmin)
        clip = "both"
    elif name in ("goalposts", "frontier"):
        zero_at = pick(lo_t, pmin) if direction == 1 else pick(up_t, pmax)
        full_at = pick(up_t, pmax) if direction == 1 else pick(lo_t, pmin)
        clip = "both" if (name == "frontier" or cap) else "none"
    elif name == "target":
        zero_at = pick(lo_t, pmin) if direction == 1 else pick(up_t, pmax)
        full_at, clip = ta_t, ("both" if cap else "none")
    elif name == "scaled":
        lo_s, up_s = t.bound(float(args[0])), t.bound(float(args[1]))
        zero_at, full_at = (lo_s, up_s) if direction == 1 else (up_s, lo_s)
        clip = "none"
    elif name == "frac_max":
        zero_at, full_at, clip = 0.0, (pmax if direction == 1 else pmin), "none"
    else:
        raise ValueError(method)
    return _linear(y, zero_at, full_at, clip)


def _linear(y: np.ndarray, zero_at: float, full_at: float, clip: str) -> np.ndarray:
    """100 (y - zero_at) / (full_at - zero_at); 50 without spread; NaN without anchors."""
    if math.isnan(full_at) or math.isnan(zero_at):
        return np.full(len(y), np.nan)
    if full_at == zero_at:
        return np.where(np.isnan(y), np.nan, 50.0)
    s = 100.0 * (y - zero_at) / (full_at - zero_at)
    if clip == "both":
        return np.clip(s, 0.0, 100.0)
    if clip == "top":
        return np.minimum(s, 100.0)
    return s


# ---------------------------------------------------------------------------------------- aggregation


@dataclass
class Aggregated:
    score: float
    coverage: float


def aggregate(
    scores, weights, method: str = "arithmetic", min_coverage: float = 0.65, zero_floor: float = ZERO_FLOOR
) -> Aggregated:
    """One node from its children's scores (NaN = missing): weights renormalised over the present
    children; NaN below min_coverage; geometric, harmonic and power means with p <= 0 use
    max(score, zero_floor) (monotonic zero rule). Copeland needs every unit: see copeland()."""
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    ok = ~np.isnan(s)
    total = w.sum()
    w_present = w[ok].sum()
    coverage = w_present / total if total > 0 else math.nan
    if w_present <= 0 or not coverage >= min_coverage - 1e-9:
        return Aggregated(math.nan, 0.0 if w_present <= 0 else coverage)
    sp, wp = s[ok], w[ok]
    floored = np.maximum(sp, zero_floor)
    name, args = option(method)
    p = float(args[0]) if name == "generalised" else None
    if name == "geometric" or p == 0:
        value = math.exp(float((wp * np.log(floored)).sum() / w_present))
    elif name == "harmonic":
        value = float(w_present / (wp / floored).sum())
    elif p is not None:
        base = np.maximum(sp, 0.0) if p > 0 else floored
        value = float(((wp * base**p).sum() / w_present) ** (1.0 / p))
    else:
        value = float((wp * sp).sum() / w_present)
    return Aggregated(value, coverage)


def copeland(children, weights, min_coverage: float = 0.65) -> np.ndarray:
    """children [units x k] scores of one node in one round (NaN = missing) -> Copeland scores.

    COINr a_copeland: for units a, b the weight share of the children both have on which a is better
    (ties half); +1 above 1/2, -1 below, summed over the other units that meet the coverage rule."""
    x = np.asarray(children, dtype=float)
    w = np.asarray(weights, dtype=float)
    qualifies = np.array([not math.isnan(aggregate(row, w, "arithmetic", min_coverage).score) for row in x])
    out = np.full(x.shape[0], np.nan)
    for a in np.flatnonzero(qualifies):
        total = 0
        for b in np.flatnonzero(qualifies):
            if a == b:
                continue
            both = ~np.isnan(x[a]) & ~np.isnan(x[b])
            shared = w[both].sum()
            if shared <= 0:
                continue
            better = w[both & (x[a] > x[b])].sum() + 0.5 * w[both & (x[a] == x[b])].sum()
            share = better / shared
            total += 1 if share > 0.5 + 1e-12 else -1 if share < 0.5 - 1e-12 else 0
        out[a] = total
    return out

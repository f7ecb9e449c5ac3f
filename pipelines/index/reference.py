"""Reference implementation of the gap-index math (docs/methodology.md), one function per step.

Every function mirrors one dbt model and is written for clarity, not speed:
  treat       int_indicator_values_treated     (COINr winsorise-or-log rule)
  normalise   int_indicator_values_normalised  (minmax, goalposts, zscore, target, frontier, rank)
  aggregate   int_node_scores_aggregated       (arithmetic, geometric, harmonic; coverage rule)
NaN stands for SQL NULL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ZERO_FLOOR = 0.1
SKEW_LIMIT = 2.0
KURT_LIMIT = 3.5
MAX_POINTS = 5


def safe_log(x):
    """ln(1 + x); NaN at x <= -1."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(x > -1, np.log1p(np.where(x > -1, x, 0.0)), np.nan)


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


def _needs_treatment(x: np.ndarray, skew_limit: float, kurt_limit: float) -> bool:
    s, k = skewness(x), kurtosis(x)
    s = 0.0 if math.isnan(s) else s
    k = 0.0 if math.isnan(k) else k
    # 1e-9: a shape exactly at a limit is not over it, whatever the last floating-point bit says.
    return abs(s) > skew_limit + 1e-9 and k > kurt_limit + 1e-9


@dataclass
class Treated:
    values: np.ndarray
    treatment: str  # none | winsorise | log
    points: int
    log_applications: int  # of ln(1 + x), catalogue transform included


def treat(
    values,
    rule: str = "auto",
    normalisation: str = "minmax",
    transform: str = "none",
    skew_limit: float = SKEW_LIMIT,
    kurt_limit: float = KURT_LIMIT,
    max_points: int = MAX_POINTS,
) -> Treated:
    """Transform then treat outliers over the pooled panel (NaN = missing, kept NaN)."""
    x = np.asarray(values, dtype=float)
    logs = 0
    if transform == "log":
        x, logs = safe_log(x), 1
    if rule not in ("none", "winsorise", "log"):
        rule = "none" if normalisation in ("goalposts", "target", "rank") else "auto"
    if rule == "none":
        return Treated(x, "none", 0, logs)
    if rule == "log":
        return Treated(safe_log(x), "log", 0, logs + 1)
    present = x[~np.isnan(x)]
    if len(present) == 0:
        return Treated(x, "none", 0, logs)
    high = not (skewness(present) < 0)  # NaN skew counts as the high side
    ordered = np.sort(present)[::-1] if high else np.sort(present)
    chosen = None
    last = 0
    for k in range(0, min(max_points, len(present) - 1) + 1):
        cap = ordered[k]
        w = np.minimum(present, cap) if high else np.maximum(present, cap)
        last = k
        if not _needs_treatment(w, skew_limit, kurt_limit):
            chosen = k
            break
    if rule == "auto" and chosen is None:
        return Treated(safe_log(x), "log", 0, logs + 1)
    k = chosen if chosen is not None else last
    if k == 0:
        return Treated(x, "none", 0, logs)
    cap = ordered[k]
    return Treated(np.minimum(x, cap) if high else np.maximum(x, cap), "winsorise", k, logs)


def _bound(value, log_applications: int):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    v = float(value)
    for _ in range(log_applications):
        v = float(safe_log(v))
    return v


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


def normalise(
    values,
    method: str,
    direction: int = 1,
    lower=None,
    upper=None,
    target=None,
    rounds=None,
    log_applications: int = 0,
) -> np.ndarray:
    """Scores 0-100 of treated values over the pooled panel; `rounds` groups the rank method."""
    y = np.asarray(values, dtype=float)
    present = y[~np.isnan(y)]
    scores = np.full(len(y), np.nan)
    if len(present) == 0:
        return scores
    lo_t, up_t, ta_t = (_bound(b, log_applications) for b in (lower, upper, target))
    pmin, pmax = present.min(), present.max()

    def pick(given, fallback):
        return fallback if math.isnan(given) else given

    if method == "zscore":
        sd = present.std(ddof=1) if len(present) > 1 else math.nan
        if math.isnan(sd) or sd == 0:
            return np.where(np.isnan(y), np.nan, 50.0)
        z = direction * (y - present.mean()) / sd
        return np.clip(50.0 + 10.0 * z, 0.0, 100.0)
    if method == "rank":
        rounds = np.zeros(len(y)) if rounds is None else np.asarray(rounds)
        for r in np.unique(rounds):
            sel = rounds == r
            sub = y[sel] * direction
            n = (~np.isnan(sub)).sum()
            pr = _percent_rank(sub)
            scores[sel] = np.where(np.isnan(sub), np.nan, 50.0 if n <= 1 else 100.0 * pr)
        return scores
    if method == "minmax":
        zero_at, full_at = (pmin, pmax) if direction == 1 else (pmax, pmin)
    elif method in ("goalposts", "frontier"):
        zero_at = pick(lo_t, pmin) if direction == 1 else pick(up_t, pmax)
        full_at = pick(up_t, pmax) if direction == 1 else pick(lo_t, pmin)
    elif method == "target":
        zero_at = pick(lo_t, pmin) if direction == 1 else pick(up_t, pmax)
        full_at = ta_t
    else:
        raise ValueError(method)
    if math.isnan(full_at):
        return scores
    if full_at == zero_at:
        return np.where(np.isnan(y), np.nan, 50.0)
    return np.clip(100.0 * (y - zero_at) / (full_at - zero_at), 0.0, 100.0)


@dataclass
class Aggregated:
    score: float
    coverage: float


def aggregate(
    scores, weights, method: str = "arithmetic", min_coverage: float = 0.65, zero_floor: float = ZERO_FLOOR
) -> Aggregated:
    """One node from its children's scores (NaN = missing): weights renormalised over the present
    children; NaN below min_coverage; geometric and harmonic replace an exact 0 by zero_floor."""
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    ok = ~np.isnan(s)
    total = w.sum()
    w_present = w[ok].sum()
    coverage = w_present / total if total > 0 else math.nan
    if w_present <= 0 or not coverage >= min_coverage - 1e-9:
        return Aggregated(math.nan, 0.0 if w_present <= 0 else coverage)
    sp, wp = s[ok], w[ok]
    floored = np.where(sp == 0, zero_floor, sp)
    if method == "geometric":
        value = math.exp(float((wp * np.log(floored)).sum() / w_present))
    elif method == "harmonic":
        value = float(w_present / (wp / floored).sum())
    else:
        value = float((wp * sp).sum() / w_present)
    return Aggregated(value, coverage)

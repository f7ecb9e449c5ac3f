"""Scenarios of the catalogue's full menu (docs/methodology.md), each built once per session:

menu    a user's list of six units (regions R01-R06, group columns `region` and `network`, no
        OIC columns), a root named `menu`, and one leaf per new option; every expected value is
        worked out by hand in test_menu_hand_computed.py
hdi     the UNDP Human Development Index written as UNDP states it (technical notes 2023-24)
coinr   a build the way COINr's default example is stated: group-mean imputation over a group
        column of a user unit list, an official denominator that is not an indicator, COINr's
        treatment, min-max, arithmetic means; checked against pipelines/index/reference.py
"""

from __future__ import annotations

import numpy as np
from vetdx_dbt_harness import RawData, csv_text
from vetdx_dbt_scenarios import CATALOGUE_HEADER

MENU_HEADER = [*CATALOGUE_HEADER, "cap"]
UNITS = ["R01", "R02", "R03", "R04", "R05", "R06"]
MENU_COUNTRIES = csv_text(
    ["iso3", "name_en", "region", "network"],
    [
        ["R01", "North one", "N", "A"],
        ["R02", "North two", "N", "B"],
        ["R03", "South one", "S", "A"],
        ["R04", "South two", "S", "B"],
        ["R05", "East one", "E", "A"],
        ["R06", "East two", "E", "B"],
    ],
)


def menu_node(code, parent, aggregation, weight=1, min_coverage=None):
    row = [code, parent, code] + [None] * 4 + [weight] + [None] * 6 + [aggregation, min_coverage]
    return row + [None] * 6 + [None]


def menu_leaf(code, parent, normalisation="goalposts", lower=0, upper=100, target=None, weight=1, direction=1,
              transform="none", imputation="none", treatment="none", cap=None):  # fmt: skip
    head = [code, parent, code, None, None, "u", direction, weight, transform, None, normalisation]
    return [*head, lower, upper, target, None, None, imputation, None, None, treatment, "test", None, cap]


MENU_CATALOGUE = csv_text(
    MENU_HEADER,
    [
        menu_node("menu", None, "arithmetic", min_coverage=0),
        menu_node("d_tr", "menu", "arithmetic", min_coverage=0),
        menu_leaf("t_ln", "d_tr", lower=1, upper=100, transform="ln"),
        menu_leaf("t_sqrt", "d_tr", transform="sqrt"),
        menu_leaf("t_log", "d_tr", upper=99, transform="log"),
        menu_node("d_imp", "menu", "arithmetic", min_coverage=0),
        menu_leaf("m_mean", "d_imp", imputation="mean"),
        menu_leaf("m_median", "d_imp", imputation="median"),
        menu_leaf("m_gmean", "d_imp", imputation="group_mean:region"),
        menu_leaf("m_gmed", "d_imp", imputation="group_median:network"),
        menu_leaf("m_peer", "d_imp", imputation="peer_median:region"),
        menu_leaf("m_lin", "d_imp", imputation="linear:1"),
        menu_leaf("m_const", "d_imp", imputation="constant:42"),
        menu_node("d_norm", "menu", "arithmetic", min_coverage=0),
        menu_leaf("n_scaled", "d_norm", normalisation="scaled:0:50"),
        menu_leaf("n_zms", "d_norm", normalisation="zscore:100:10"),
        menu_leaf("n_ref", "d_norm", normalisation="dist_to_ref:R02"),
        menu_leaf("n_ref_cap", "d_norm", normalisation="dist_to_ref:r02", cap="true"),
        menu_leaf("n_frac", "d_norm", normalisation="frac_max"),
        menu_leaf("n_rraw", "d_norm", normalisation="rank_raw"),
        menu_leaf("n_borda", "d_norm", normalisation="borda"),
        menu_leaf("n_gp_nocap", "d_norm", upper=50, cap="false"),
        menu_node("d_gen", "menu", "generalised:2"),
        menu_leaf("g1", "d_gen"),
        menu_leaf("g2", "d_gen"),
        menu_node("d_cop", "menu", "copeland"),
        menu_leaf("c1", "d_cop"),
        menu_leaf("c2", "d_cop"),
        menu_leaf("c3", "d_cop", weight=2),
        menu_node("d_zero", "menu", "arithmetic"),
        menu_leaf("z1", "d_zero"),
        menu_leaf("z2", "d_zero"),
        menu_leaf("z0", "d_zero", weight=0),
        menu_node("d_flr", "menu", "geometric"),
        menu_leaf("f1", "d_flr"),
        menu_leaf("f2", "d_flr"),
        menu_node("d_treat", "menu", "arithmetic"),
        menu_leaf("t_alct", "d_treat", normalisation="minmax", treatment="auto_log_ct:0"),
        menu_leaf("t_auto", "d_treat", normalisation="minmax", treatment="auto"),
    ],
)
# A second weighting of the same catalogue (seed weights.csv, var weight_set = alt).
MENU_WEIGHTS = "weight_set,code,weight\nalt,d_zero,3\nalt,d_tr,0\nother,d_imp,5\n"

MENU_VALUES = {  # indicator -> {unit: value} for 2024
    "t_ln": {"R01": 10, "R02": 100, "R03": 0, "R04": 1000},
    "t_sqrt": {"R01": 25, "R02": 64, "R03": -4},
    "t_log": {"R01": 9},
    "m_mean": {"R01": 10, "R02": 20, "R03": 60},
    "m_median": {"R01": 10, "R02": 20, "R03": 60},
    "m_gmean": {"R01": 10, "R02": 30, "R03": 50},
    "m_gmed": {"R01": 10, "R03": 40, "R02": 70, "R04": 30},
    "m_peer": {"R01": 10, "R03": 80},
    "m_lin": {"R01": 30},
    "m_const": {"R01": 10},
    "n_scaled": {"R01": 10, "R02": 80, "R03": -5},
    "n_zms": {"R01": 1, "R02": 2, "R03": 3},
    "n_ref": {"R01": 10, "R02": 20, "R03": 40},
    "n_ref_cap": {"R01": 10, "R02": 20, "R03": 40},
    "n_frac": {"R01": 10, "R02": 20, "R03": 40},
    "n_rraw": {"R01": 5, "R02": 5, "R03": 9, "R04": 1},
    "n_borda": {"R01": 5, "R02": 5, "R03": 9, "R04": 1},
    "n_gp_nocap": {"R01": 60, "R02": -10, "R03": 25},
    "g1": {"R01": 30, "R02": 0},
    "g2": {"R01": 40, "R02": 100},
    "c1": {"R01": 50, "R02": 60, "R03": 10, "R04": 10},
    "c2": {"R01": 50, "R02": 40, "R03": 10, "R04": 10},
    "c3": {"R01": 10, "R02": 10, "R03": 90, "R04": 10},
    "z1": {"R01": 80, "R02": 80, "R03": 80},
    "z2": {"R01": 20, "R02": 20},
    "z0": {"R01": 5, "R03": 5},
    "f1": {"R01": 0, "R02": 0.05, "R03": 0.2},
    "f2": {"R01": 40, "R02": 40, "R03": 40},
    "t_alct": dict(zip(UNITS, [1, 2, 3, 4, 5, 1000], strict=True)),
    "t_auto": dict(zip(UNITS, [1, 2, 3, 4, 5, 1000], strict=True)),
}


def menu_raw() -> RawData:
    raw = RawData()
    for indicator, by_unit in MENU_VALUES.items():
        for unit, value in by_unit.items():
            raw.official(unit, 2024, indicator, float(value))
    raw.official("R01", 2022, "m_lin", 10.0)  # 2023 = 10 + (30 - 10) / 2 = 20 (each donor 1 year away)
    raw.official("R03", 2022, "m_lin", 10.0)  # no later value: no extrapolation
    for unit in UNITS:  # every unit has some value in 2022 and 2023 too: the rounds exist
        raw.official(unit, 2022, "z1", 50.0)
        raw.official(unit, 2023, "z1", 50.0)
    return raw


# --- HDI: UNDP Human Development Report 2023/2024, technical note 1 -------------------------------
# Dimension indices: health (LE - 20) / (85 - 20); education = mean of MYS / 15 and EYS / 18 (each
# capped at 1); income (ln GNIpc - ln 100) / (ln 75000 - ln 100) (capped at 1); HDI = geometric mean.
HDI_CATALOGUE = csv_text(
    CATALOGUE_HEADER,
    [
        menu_node("hdi", None, "geometric")[:22],
        ["health", "hdi", "Life expectancy at birth", None, None, "years", 1, 1, "none", None,
         "goalposts", 20, 85, None, None, None, "none", "SP.DYN.LE00.IN", None, "none", "UNDP", None],
        menu_node("education", "hdi", "arithmetic")[:22],
        ["mys", "education", "Mean years of schooling", None, None, "years", 1, 1, "none", None,
         "goalposts", 0, 15, None, None, None, "none", None, None, "none", "UNDP", None],
        ["eys", "education", "Expected years of schooling", None, None, "years", 1, 1, "none", None,
         "goalposts", 0, 18, None, None, None, "none", None, None, "none", "UNDP", None],
        ["income", "hdi", "GNI per capita (2017 PPP $)", None, None, "PPP $", 1, 1, "ln", None,
         "goalposts", 100, 75000, None, None, None, "none", "NY.GNP.PCAP.PP.KD", None, "none", "UNDP", None],
    ],
)  # fmt: skip
HDI_COUNTRIES = (
    "iso3,iso2,iso_numeric,name_en,name_fr,name_ar,wb_name,wb_region,income_group,oic_group\n"
    "TUR,TR,792,Turkiye,Turquie,تركيا,Turkiye,Europe & Central Asia,Upper middle income,Asian\n"
    "IDN,ID,360,Indonesia,Indonesie,إندونيسيا,Indonesia,East Asia & Pacific,Upper middle income,Asian\n"
    "NGA,NG,566,Nigeria,Nigeria,نيجيريا,Nigeria,Sub-Saharan Africa,Lower middle income,African\n"
    "QAT,QA,634,Qatar,Qatar,قطر,Qatar,Middle East & North Africa,High income,Arab\n"
    "YEM,YE,887,Yemen,Yemen,اليمن,Yemen,Middle East & North Africa,Low income,Arab\n"
)
# Inputs per country and year (LE, EYS, MYS, GNIpc) as in the HDR statistical annex layout; Qatar's
# GNI is above the 75,000 goalpost (capped) and its EYS is below 18; Turkiye's EYS above 18 (capped).
HDI_INPUTS = {
    ("TUR", 2021): (76.0, 19.2, 8.6, 31033.0),
    ("TUR", 2022): (78.5, 19.7, 8.8, 32834.0),
    ("IDN", 2022): (67.6, 13.2, 8.6, 11806.0),
    ("NGA", 2022): (53.6, 10.5, 7.6, 4781.0),
    ("QAT", 2022): (81.6, 13.7, 10.4, 95944.0),
    ("YEM", 2022): (63.7, 9.3, 3.3, 1281.0),
}


def hdi_raw() -> RawData:
    raw = RawData()
    for (iso3, year), (le, eys, mys, gni) in HDI_INPUTS.items():
        raw.official(iso3, year, "SP.DYN.LE00.IN", le)
        raw.official(iso3, year, "eys", eys)
        raw.official(iso3, year, "mys", mys)
        raw.official(iso3, year, "NY.GNP.PCAP.PP.KD", gni)
    return raw


# --- COINr-style default build --------------------------------------------------------------------
COINR_UNITS = [f"U{i:02d}" for i in range(1, 25)]
COINR_GROUPS = ["G1", "G2", "G3"]
COINR_LEAVES = {  # leaf -> (parent, direction, weight)
    "x_pop_ratio": ("p_one", 1, 1.0),
    "x_skewed": ("p_one", 1, 1.0),
    "x_neg": ("p_one", -1, 2.0),
    "x_plain": ("p_two", 1, 1.0),
    "x_gappy": ("p_two", 1, 1.0),
    "x_lowskew": ("p_two", 1, 0.5),
}


def coinr_catalogue() -> str:
    rows = [
        menu_node("coin_index", None, "arithmetic")[:22],
        menu_node("p_one", "coin_index", "arithmetic")[:22],
        menu_node("p_two", "coin_index", "arithmetic", weight=2)[:22],
    ]
    for code, (parent, direction, weight) in COINR_LEAVES.items():
        denominator, scale = ("POP.TOTAL", 1000) if code == "x_pop_ratio" else (None, None)
        head = [code, parent, code, None, None, "u", direction, weight, "none", denominator, "minmax"]
        tail = [None, None, None, None, None, "group_mean:grp", None, scale, "auto_log_ct:2", "test", None]
        rows.append([*head, *tail])
    return csv_text(CATALOGUE_HEADER, rows)


COINR_COUNTRIES = csv_text(
    ["iso3", "name_en", "grp"],
    [[u, f"Unit {u}", COINR_GROUPS[i % 3]] for i, u in enumerate(COINR_UNITS)],
)


def coinr_values(seed: int = 15) -> dict[str, np.ndarray]:
    """Raw values per leaf [units] (NaN = not reported) and the denominator series POP.TOTAL."""
    rng = np.random.default_rng(seed)
    n = len(COINR_UNITS)
    values = {
        "x_pop_ratio": rng.uniform(1e3, 5e4, n),
        "x_skewed": np.concatenate([rng.normal(50, 5, n - 3), [400.0, 650.0, 900.0]]),
        "x_neg": np.concatenate([rng.normal(20, 2, n - 1), [-60.0]]),
        "x_plain": rng.uniform(0, 100, n),
        "x_gappy": rng.uniform(10, 20, n),
        "x_lowskew": np.concatenate([rng.normal(5, 1, n - 2), [40.0, 45.0]]),
        "POP.TOTAL": rng.uniform(1e5, 1e7, n),
    }
    for leaf, holes in (("x_plain", [0, 5]), ("x_gappy", [1, 2, 3, 10, 17]), ("x_skewed", [4])):
        values[leaf][holes] = np.nan
    return values


def coinr_raw() -> RawData:
    raw = RawData()
    for code, column in coinr_values().items():
        for unit, value in zip(COINR_UNITS, column, strict=True):
            if not np.isnan(value):
                raw.official(unit, 2024, code, float(value))
    return raw


# --- depth 1: a root over leaves ------------------------------------------------------------------
FLAT_CATALOGUE = csv_text(
    CATALOGUE_HEADER,
    [
        menu_node("reach", None, "geometric")[:22],
        [*menu_leaf("internet", "reach")[:17], "IT.NET.USER.ZS", *menu_leaf("internet", "reach")[18:22]],
        [*menu_leaf("power", "reach")[:17], "EG.ELC.ACCS.ZS", *menu_leaf("power", "reach")[18:22]],
    ],
)
FLAT_COUNTRIES = csv_text(
    ["iso3", "name_en", "cluster"], [["XAA", "Xa", "one"], ["XBB", "Xb", "one"], ["XCC", "Xc", "two"]]
)

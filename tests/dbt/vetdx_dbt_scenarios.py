"""The scenarios the dbt tests share: each is built once per session (conftest.py)."""

from __future__ import annotations

from datetime import datetime

from vetdx_dbt_harness import RawData, csv_text

CATALOGUE_HEADER = [
    "code",
    "parent",
    "name_en",
    "name_fr",
    "name_ar",
    "unit",
    "direction",
    "weight",
    "transform",
    "denominator",
    "normalisation",
    "lower",
    "upper",
    "target",
    "aggregation",
    "min_coverage",
    "imputation",
    "source_code",
    "scale",
    "treatment",
    "source",
    "formula",
]


def node(code, parent, aggregation, weight=1, min_coverage=None):
    return [
        code,
        parent,
        code,
        None,
        None,
        None,
        1,
        weight,
        None,
        None,
        None,
        None,
        None,
        None,
        aggregation,
        min_coverage,
        None,
        None,
        None,
        None,
        "test",
        None,
    ]


def leaf(
    code,
    parent,
    normalisation,
    direction=1,
    weight=1,
    lower=None,
    upper=None,
    target=None,
    transform="none",
    imputation="none",
    denominator=None,
    scale=None,
    treatment="auto",
    source_code=None,
):
    return [
        code,
        parent,
        code,
        None,
        None,
        "u",
        direction,
        weight,
        transform,
        denominator,
        normalisation,
        lower,
        upper,
        target,
        None,
        None,
        imputation,
        source_code,
        scale,
        treatment,
        "test",
        "official value",
    ]


# Hand-computed scenario: 3 countries, 2 levels under the root, every normalisation, aggregation,
# missing-data rule and imputation option. Expected numbers are in test_hand_computed.py.
HAND_CATALOGUE = csv_text(
    CATALOGUE_HEADER,
    [
        node("overall", None, "arithmetic"),
        node("d_arith", "overall", "arithmetic"),
        leaf("i_mm", "d_arith", "minmax"),
        leaf("i_gp", "d_arith", "goalposts", direction=-1, weight=3, lower=0, upper=50),
        node("d_geo", "overall", "geometric"),
        leaf("i_z", "d_geo", "zscore"),
        leaf("i_zero", "d_geo", "goalposts", lower=0, upper=100),
        node("d_harm", "overall", "harmonic"),
        leaf("i_tg", "d_harm", "target", lower=0, target=50),
        leaf("i_fr", "d_harm", "frontier", direction=-1),
        node("d_cov", "overall", "arithmetic", min_coverage=0.65),
        leaf("i_cf", "d_cov", "goalposts", lower=0, upper=100, imputation="carry_forward:1"),
        leaf("i_pm", "d_cov", "goalposts", lower=0, upper=100, imputation="peer_median:oic_group"),
        leaf("i_none", "d_cov", "goalposts", lower=0, upper=100),
        node("d_misc", "overall", "arithmetic", min_coverage=0.5),
        leaf("i_rk", "d_misc", "rank"),
        leaf("i_log", "d_misc", "goalposts", lower=0, upper=99, transform="log"),
        leaf("i_pi", "d_misc", "goalposts", lower=0, upper=100, imputation="peer_median:income_group"),
        leaf("i_denom", "d_misc", "goalposts", lower=0, upper=100, denominator="students", scale=100),
    ],
)

HAND_VALUES = {  # indicator -> {iso3: value} for 2024 (None = no row)
    "i_mm": {"AAA": 10, "BBB": 20, "CCC": 40},
    "i_gp": {"AAA": 10, "BBB": 60, "CCC": 25},
    "i_z": {"AAA": 1, "BBB": 2, "CCC": 3},
    "i_zero": {"AAA": 0, "BBB": 100, "CCC": 50},
    "i_tg": {"AAA": 25, "BBB": 75, "CCC": 0},
    "i_fr": {"AAA": 2, "BBB": 4, "CCC": 10},
    "i_cf": {"AAA": 30},
    "i_pm": {"BBB": 40, "CCC": 80},
    "i_none": {"AAA": 50, "BBB": 50},
    "i_rk": {"AAA": 5, "BBB": 5, "CCC": 9},
    "i_log": {"AAA": 9, "BBB": 99, "CCC": 0},
    "i_pi": {"AAA": 10, "CCC": 30},
    "i_denom": {"AAA": 50, "BBB": 7, "CCC": 10},
}


def hand_raw() -> RawData:
    raw = RawData()
    for indicator, by_country in HAND_VALUES.items():
        for iso3, value in by_country.items():
            raw.official(iso3, 2024, indicator, float(value))
    raw.official("BBB", 2023, "i_cf", 60.0)  # carried forward to 2024 (1 year old, allowed)
    raw.official("CCC", 2022, "i_cf", 70.0)  # 2 years old in 2024: beyond carry_forward:1
    raw.add(
        "institution_counts",
        file="counts.csv",
        iso3="AAA",
        year=2024,
        vet_level="total",
        ownership="total",
        sex="total",
        measure="students",
        value=200.0,
    )
    for ownership, value in (("public", 60.0), ("private", 40.0)):  # CCC: sum over ownership = 100
        raw.add(
            "institution_counts",
            file="counts.csv",
            iso3="CCC",
            year=2024,
            vet_level="total",
            ownership=ownership,
            sex="total",
            measure="students",
            value=value,
        )
    return raw


HAND_TARGETS = "iso3,node,target_score,note\nAAA,overall,50,test target\n"


def default_raw() -> RawData:
    """Default catalogue: a little of every source, two versions of one file, three rounds."""
    raw = RawData()
    for i, iso in enumerate(["AAA", "BBB", "CCC"]):
        for round_, bump in ((2023, 0), (2024, 5)):
            raw.answer(
                iso,
                round_,
                f"{iso}{round_}-n",
                "national",
                {
                    "national_strategy": "adopted",
                    "legal_framework": 3 + (i % 2),
                    "data_driven_policy": 2 + i,
                    "standards_interoperability": 4,
                    "digital_budget_share_pct": 5.0 * (i + 1) + bump,
                    "industry_partnerships": 40 + 10 * i,
                    "maintenance_budget": "yes",
                },
                options={"funding_sources": ["government", "donors", "ppp"][: i + 1]},
                file=f"{iso}_{round_}.csv",
            )
            for j in range(3):
                raw.answer(
                    iso,
                    round_,
                    f"{iso}{round_}-i{j}",
                    "institution",
                    {
                        "broadband_mbps": 10 + 10 * j + 5 * i + bump,
                        "learner_devices": 20 + j + bump,
                        "students_enrolled": 200,
                        "teachers_total": 30,
                        "teachers_trained_digital": 10 + i,
                        "managers_digital_skills": 3,
                        "programmes_total": 10,
                        "programmes_blended": 2 + i,
                        "programmes_vr_ar": i,
                        "programmes_digital_content": 5,
                        "ict_hours_per_programme": 60 + 10 * j,
                        "content_quality": 3,
                        "graduates_certified_pct": 40.0 + bump,
                    },
                    institution_id=f"{iso}-I{j}",
                    options={"digital_tools": ["lms", "video_lessons"]},
                    file=f"{iso}_{round_}.csv",
                )
        raw.add(
            "institution_counts",
            file=f"{iso}_counts.csv",
            iso3=iso,
            year=2024,
            vet_level="total",
            ownership="total",
            sex="total",
            measure="institutions",
            value=20.0 + 10 * i,
        )
        raw.official(iso, 2023, "IT.NET.USER.ZS", 50.0 + 10 * i)
        raw.official(iso, 2024, "wb_electricity_access_pct", 80.0 + 5 * i)
        raw.official(iso, 2024, "uis_sdg441_ict_skills_pct", 20.0 + 5 * i)
        raw.add(
            "institution_connectivity",
            file=f"{iso}_giga.csv",
            iso3=iso,
            year=2024,
            institution_id="x1",
            opened_year=2020,
            download_mbps=30.0,
            has_electricity=True,
            has_computer_lab=True,
            students=100,
        )
        raw.add(
            "institution_connectivity",
            file=f"{iso}_giga.csv",
            iso3=iso,
            year=2024,
            institution_id="x2",
            opened_year=1990,
            download_mbps=5.0 * i,
            has_electricity=i > 0,
            has_computer_lab=False,
            students=100,
        )
        raw.add(
            "equipment_inventory",
            file=f"{iso}_inv.csv",
            iso3=iso,
            year=2024,
            institution_id="x1",
            item_code="desktop_pc",
            category="computing",
            quantity=10,
            in_working_order=8 - i,
            year_acquired=2018,
        )
        raw.add(
            "equipment_inventory",
            file=f"{iso}_inv.csv",
            iso3=iso,
            year=2024,
            institution_id="x2",
            item_code="lathe",
            category="workshop",
            quantity=2,
            in_working_order=2,
            year_acquired=2010,
        )
    # AAA resubmits its 2024 national questionnaire: only the later batch is current.
    raw.answer(
        "AAA",
        2024,
        "AAA2024-n-v2",
        "national",
        {
            "national_strategy": "implemented",
            "legal_framework": 5,
            "data_driven_policy": 5,
            "standards_interoperability": 5,
            "digital_budget_share_pct": 12.0,
            "industry_partnerships": 44,
            "maintenance_budget": "yes",
        },
        options={"funding_sources": ["government"]},
        file="AAA_2024_v2.csv",
        batch="s2",
        loaded_at=datetime(2025, 3, 1),
    )
    for j in range(3):  # the new batch carries the institutions too (a file = one country-round)
        raw.answer(
            "AAA",
            2024,
            f"AAA2024-i{j}-v2",
            "institution",
            {
                "broadband_mbps": 50,
                "learner_devices": 30,
                "students_enrolled": 200,
                "teachers_total": 30,
                "teachers_trained_digital": 15,
                "managers_digital_skills": 4,
                "programmes_total": 10,
                "programmes_blended": 5,
                "programmes_vr_ar": 1,
                "programmes_digital_content": 6,
                "ict_hours_per_programme": 90,
                "content_quality": 4,
                "graduates_certified_pct": 55.0,
            },
            institution_id=f"AAA-I{j}",
            options={"digital_tools": ["lms", "video_lessons", "simulators"]},
            file="AAA_2024_v2.csv",
            batch="s2",
            loaded_at=datetime(2025, 3, 1),
        )
    return raw


# A user's catalogue made of official series only, with its own root code and country list.
OFFICIAL_CATALOGUE = csv_text(
    CATALOGUE_HEADER,
    [
        node("connectivity_index", None, "geometric"),
        node("access", "connectivity_index", "arithmetic"),
        leaf("internet", "access", "goalposts", lower=0, upper=100, source_code="IT.NET.USER.ZS"),
        leaf("broadband", "access", "minmax", source_code="IT.NET.BBND.P2"),
        node("power", "connectivity_index", "arithmetic"),
        leaf("electricity", "power", "goalposts", lower=0, upper=100, source_code="EG.ELC.ACCS.ZS"),
    ],
)
OFFICIAL_COUNTRIES = (
    "iso3,iso2,iso_numeric,name_en,name_fr,name_ar,wb_name,wb_region,income_group,oic_group\n"
    "XAA,XA,991,Xa,Xa,Xa,Xa,Region,High income,Asian\n"
    "XBB,XB,992,Xb,Xb,Xb,Xb,Region,Low income,Asian\n"
)


def official_raw() -> RawData:
    raw = RawData()
    for iso, base in (("XAA", 60.0), ("XBB", 30.0)):
        raw.official(iso, 2022, "IT.NET.USER.ZS", base)
        raw.official(iso, 2022, "IT.NET.BBND.P2", base / 3)
        raw.official(iso, 2022, "EG.ELC.ACCS.ZS", base + 20)
        raw.official(iso, 2023, "IT.NET.USER.ZS", base + 5)
        raw.official(iso, 2023, "IT.NET.BBND.P2", base / 3 + 1)
        raw.official(iso, 2023, "EG.ELC.ACCS.ZS", base + 25)
    raw.official("ZZZ", 2023, "IT.NET.USER.ZS", 99.0)  # not in the user's country list: ignored
    return raw


# Malformed catalogue: an orphan, a cycle and a tree deeper than max_tree_depth (2).
BAD_CATALOGUE = csv_text(
    CATALOGUE_HEADER,
    [
        node("overall", None, "arithmetic"),
        node("a", "overall", "arithmetic"),
        node("b", "a", "arithmetic"),
        leaf("c", "b", "minmax"),
        leaf("orphan", "nowhere", "minmax"),
        node("x", "y", "arithmetic"),
        node("y", "x", "arithmetic"),
        leaf("bad_norm", "a", "quantile"),
    ],
)

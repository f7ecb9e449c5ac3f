"""The default catalogue end to end, reuse with a user catalogue, and the catalogue's guard rails."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LABEL = "SYNTHETIC SAMPLE DATA - not official statistics"
MARTS = (
    "countries",
    "indicators",
    "indicator_values",
    "scores",
    "gap_indices",
    "benchmarks",
    "rank_intervals",
)
CONTRACT = {  # docs/contracts.md
    "countries": "iso3, iso2, name_en, name_fr, name_ar, oic_group, wb_region, income_group",
    "indicators": "code, parent, level, node_type, name_en, name_fr, name_ar, unit, direction, weight, "
    "normalisation, aggregation, transform, imputation, source, formula",
    "indicator_values": "iso3, round, indicator, raw_value, "
    "denominated_value, imputed_value, imputation_method, "
    "is_imputed, treated_value, treatment, normalised_score, source, quality_flag",
    "scores": "iso3, round, node, level, node_type, score, coverage, "
    "missing_reason, rank, rank_in_oic_group, "
    "rank_in_income_group",
    "gap_indices": "iso3, round, dimension, score, gap, rank, coverage, missing_reason, gap_to_frontier, "
    "gap_to_oic_median, gap_to_group_median, gap_to_target, change_since_previous",
    "benchmarks": "round, node, group_type, group_value, benchmark, value",
    "rank_intervals": "iso3, round, dimension, median_rank, rank_p05, rank_p95, draws",
}


def test_marts_have_contract_columns_and_label(default_build):
    for mart in MARTS:
        columns = [r[0] for r in default_build.query(f"describe marts.{mart}")]
        expected = [c.strip() for c in CONTRACT[mart].split(",")] + ["data_label"]
        assert set(expected) <= set(columns), (mart, set(expected) - set(columns))
        assert default_build.query(f"select distinct data_label from marts.{mart}") == [(LABEL,)], mart


def test_default_catalogue_tree(default_build):
    catalogue = list(csv.DictReader((REPO / "data/seeds/indicator_catalogue.csv").open(encoding="utf-8")))
    leaves = {r["code"] for r in catalogue} - {r["parent"] for r in catalogue}
    assert 20 <= len(leaves) <= 40
    rows = dict(default_build.query("select node_type, count(*) from marts.indicators group by 1"))
    assert rows["index"] == 1 and rows["dimension"] == 5 and rows["indicator"] == len(leaves)
    dims = {r[0] for r in default_build.query("select code from marts.indicators where parent = 'overall'")}
    assert dims == {
        "infrastructure",
        "digital_skills",
        "curriculum_content",
        "policy_governance",
        "finance_sustainability",
    }


def test_gap_indices_complete(default_build):
    rounds = default_build.query("select distinct round from marts.gap_indices order by 1")
    assert rounds == [(2023,), (2024,)]
    assert default_build.query("select count(*) from marts.gap_indices") == [(3 * 2 * 6,)]
    scored = default_build.query(
        "select count(*) from marts.gap_indices where round = 2024 and score is not null"
    )
    assert scored[0][0] >= 15


def test_only_the_latest_batch_is_current(default_build):
    ((value, files),) = default_build.query(
        "select raw_value, lineage_files from marts.indicator_values "
        "where iso3 = 'AAA' and round = 2024 and indicator = 'pol_strategy_status'"
    )
    assert value == 4.0  # 'implemented' in the resubmitted file, 'adopted' (3) before
    assert files == ["survey/AAA_2024_v2.csv"]
    assert default_build.query(
        "select count(*) from staging.stg_raw__survey_responses where iso3 = 'AAA' and round = 2024"
    ) == [(4,)]


def test_values_trace_back_to_files(default_build):
    rows = default_build.query(
        "select indicator, source, lineage_files from marts.indicator_values "
        "where iso3 = 'BBB' and round = 2024 "
        "and indicator in ('inf_broadband_20mbps_pct', 'fin_industry_partnerships_per_institution', "
        "'itu_internet_users_pct')"
    )
    by = {r[0]: r[1:] for r in rows}
    assert by["inf_broadband_20mbps_pct"] == ("inventory:connectivity", ["inventory/BBB_giga.csv"])
    # national answer / ministry count of institutions: both files are named
    assert sorted(by["fin_industry_partnerships_per_institution"][1]) == [
        "institutions/BBB_counts.csv",
        "survey/BBB_2024.csv",
    ]
    # carried forward from 2023 (carry_forward:3), lineage of the donor year
    assert by["itu_internet_users_pct"] == ("official:test", ["official/official.csv"])


def test_survey_derivations(default_build):
    values = dict(
        default_build.query(
            "select indicator, raw_value from marts.indicator_values where iso3 = 'CCC' and round = 2024"
        )
    )
    assert values["dsk_teachers_trained_pct"] == pytest.approx(100 * 36 / 90)  # ratio of sums
    assert values["cur_digital_tools_count"] == 2.0  # options ticked
    assert values["fin_funding_sources_count"] == 3.0
    assert values["inf_computers_per100_students"] == pytest.approx(3 * 25 + 3)  # numerator: devices
    assert values["fin_industry_partnerships_per_institution"] == pytest.approx(60 / 40)
    denominated = dict(
        default_build.query(
            "select indicator, denominated_value from marts.indicator_values where "
            "iso3 = 'CCC' and round = 2024"
        )
    )
    assert denominated["inf_computers_per100_students"] == pytest.approx(78 / 600 * 100)


def test_user_catalogue_of_official_series(official_build):
    gaps = official_build.query(
        "select iso3, round, dimension, score from marts.gap_indices order by 1, 2, 3"
    )
    assert {r[2] for r in gaps} == {"connectivity_index", "access", "power"}
    assert {r[0] for r in gaps} == {"XAA", "XBB"}  # ZZZ is not in the user's country list
    assert len(gaps) == 2 * 2 * 3 and all(r[3] is not None for r in gaps)
    ((internet,),) = official_build.query(
        "select normalised_score from marts.indicator_values where iso3 = 'XAA' and round = 2023 "
        "and indicator = 'internet'"
    )
    assert internet == pytest.approx(65.0)  # matched through source_code IT.NET.USER.ZS


def test_malformed_catalogue_fails_loudly(bad_catalogue_build):
    assert not bad_catalogue_build.success
    failed = {r.node.name for r in bad_catalogue_build.results if str(r.status) in ("fail", "error")}
    assert "catalogue_nodes_reachable" in failed  # orphan + cycle x <-> y
    assert "catalogue_tree_depth_within_limit" in failed  # c is at level 3 > 2
    assert "catalogue_options_valid" in failed  # normalisation 'quantile'

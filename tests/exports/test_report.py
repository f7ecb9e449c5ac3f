"""Report tables from hand-made marts: profile comparisons, strengths and weaknesses, ranking order."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.exports import report
from pipelines.exports.chart_set import ChartSet, write_charts
from pipelines.exports.marts import PublishedData


def _data() -> PublishedData:
    countries = pl.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC"],
            "name_en": ["Aland", "Borduria", "Carpania"],
            "name_fr": ["Alande", "Bordurie", None],
            "name_ar": ["ألاند", "بوردوريا", "كاربانيا"],
            "oic_group": ["Arab", "Arab", "Asian"],
            "income_group": ["High income", "Low income", "Low income"],
            "data_label": ["TEST", "TEST", "TEST"],
        }
    )
    indicators = pl.DataFrame(
        {
            "code": ["overall", "infrastructure", "i1", "i2", "i3", "i4"],
            "parent": [
                None,
                "overall",
                "infrastructure",
                "infrastructure",
                "infrastructure",
                "infrastructure",
            ],
            "level": [0, 1, 2, 2, 2, 2],
            "node_type": ["index", "dimension", "indicator", "indicator", "indicator", "indicator"],
            "name_en": ["Overall", "Infrastructure", "One", "Two", "Three", "Four"],
            "name_fr": ["Global", "Infrastructures", "Un", "Deux", "Trois", "Quatre"],
            "name_ar": ["المؤشر", "البنية", "١", "٢", "٣", "٤"],
        }
    )
    # AAA in 2025: i1 +30 above the OIC median, i2 +5, i3 at the median, i4 -20.
    nodes = ["overall", "infrastructure", "i1", "i2", "i3", "i4"]
    types = ["index", "dimension", "indicator", "indicator", "indicator", "indicator"]
    scores = pl.DataFrame(
        {
            "iso3": ["AAA"] * 6 + ["BBB"] * 6,
            "round": [2025] * 12,
            "node": nodes * 2,
            "node_type": types * 2,
            "score": [60.0, 60.0, 80.0, 55.0, 50.0, 30.0, 40.0, 40.0, 50.0, 50.0, 50.0, 50.0],
            "rank": [1, 1, None, None, None, None, 2, 2, None, None, None, None],
        }
    )
    medians = {"overall": 50.0, "infrastructure": 45.0, "i1": 50.0, "i2": 50.0, "i3": 50.0, "i4": 50.0}
    benchmarks = pl.DataFrame(
        {
            "round": [2025] * 12,
            "node": list(medians) * 2,
            "group_type": ["oic"] * 6 + ["oic_group"] * 6,
            "group_value": ["OIC"] * 6 + ["Arab"] * 6,
            "benchmark": ["median"] * 12,
            "value": list(medians.values()) + [55.0] * 6,
        }
    )
    gap_indices = pl.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "AAA", "BBB", "CCC"],
            "round": [2025] * 6,
            "dimension": ["overall"] * 3 + ["infrastructure"] * 3,
            "score": [60.0, 40.0, None, 60.0, 40.0, None],
            "gap": [40.0, 60.0, None, 40.0, 60.0, None],
            "rank": [1, 2, None, 1, 2, None],
            "oic_group": ["Arab", "Arab", "Asian"] * 2,
            "income_group": ["High income", "Low income", "Low income"] * 2,
            "coverage": [1.0, 1.0, 0.2] * 2,
            "missing_reason": [None, None, "coverage below 0.65"] * 2,
            **{
                c: [None] * 6
                for c in (
                    "gap_to_frontier",
                    "gap_to_oic_median",
                    "gap_to_group_median",
                    "gap_to_target",
                    "change_since_previous",
                )
            },
        },
        schema_overrides={
            c: pl.Float64
            for c in (
                "gap_to_frontier",
                "gap_to_oic_median",
                "gap_to_group_median",
                "gap_to_target",
                "change_since_previous",
            )
        },
    )
    rank_intervals = pl.DataFrame(
        {
            "iso3": ["AAA", "BBB"],
            "round": [2025, 2025],
            "dimension": ["overall", "overall"],
            "median_rank": [1.0, 2.0],
            "rank_p05": [1.0, 1.0],
            "rank_p95": [2.0, 2.0],
        }
    )
    marts = {
        "countries": countries,
        "indicators": indicators,
        "scores": scores,
        "benchmarks": benchmarks,
        "gap_indices": gap_indices,
        "rank_intervals": rank_intervals,
    }
    return PublishedData(marts=marts, version_record={})


def test_strengths_and_weaknesses_are_the_indicators_furthest_from_the_oic_median():
    """Gaps are median - score (the marts' sign): a strength has a negative gap."""
    profile = report.country_profile(_data(), "AAA", "en")
    assert profile.strengths["indicator"].to_list() == ["i1", "i2"]  # i3 sits on the median: neither
    assert profile.strengths["gap_to_oic_median"].to_list() == pytest.approx([-30.0, -5.0])
    assert profile.weaknesses["indicator"].to_list() == ["i4"]
    assert profile.weaknesses["gap_to_oic_median"].to_list() == pytest.approx([20.0])


def test_profile_compares_dimensions_with_the_oic_and_own_group_medians():
    profile = report.country_profile(_data(), "AAA", "fr")
    rows = {r["dimension"]: r for r in profile.scores.to_dicts()}
    assert list(rows) == ["overall", "infrastructure"]
    assert rows["infrastructure"]["name"] == "Infrastructures"
    # score 60 against the OIC median 45 and the Arab group median 55: ahead of both
    assert rows["infrastructure"]["gap_to_oic_median"] == pytest.approx(-15.0)
    assert rows["infrastructure"]["gap_to_group_median"] == pytest.approx(-5.0)


def test_profile_and_mart_gaps_share_one_sign():
    """The profile's gap to the OIC median equals the mart's gap_to_oic_median when both use the same
    median: BBB scores 40 against 50, so both say +10 (behind)."""
    data = _data()
    data.marts["gap_indices"] = data.marts["gap_indices"].with_columns(
        gap_to_oic_median=pl.lit(50.0) - pl.col("score")
    )
    profile = report.country_profile(data, "BBB", "en")
    mart = data.marts["gap_indices"].filter((pl.col("iso3") == "BBB") & (pl.col("dimension") == "overall"))
    assert profile.scores.filter(pl.col("dimension") == "overall")["gap_to_oic_median"].item() == 10.0
    assert mart["gap_to_oic_median"].item() == 10.0


def test_unscored_countries_are_listed_with_a_translated_reason():
    data = _data()
    assert report.unscored(data, "overall", "en") == [("Carpania", "coverage below 0.65")]  # unknown wording
    data.marts["gap_indices"] = data.marts["gap_indices"].with_columns(
        missing_reason=pl.when(pl.col("iso3") == "CCC")
        .then(pl.lit("coverage 0.20 below minimum 0.65 (missing: infrastructure)"))
        .otherwise(None)
    )
    assert report.unscored(data, "overall", "fr") == [("Carpania", "couverture 0.20 < 0.65")]
    ((name, why),) = report.unscored(data, "overall", "ar")
    assert name == "كاربانيا" and why == "التغطية \u20660.20\u2069 < \u20660.65\u2069"


def test_radar_spokes_are_the_root_children_whatever_their_level():
    data = _data()
    assert report.radar_spokes(data) == ["infrastructure"]  # one dimension: too few for a radar
    assert report.radar_spokes(_flat()) == ["i1", "i2", "i3", "i4"]


def _flat() -> PublishedData:
    """A tree of depth 1: the root over four leaves (no dimension level)."""
    data = _data()
    nodes = data.marts["indicators"].filter(pl.col("code") != "infrastructure")
    data.marts["indicators"] = nodes.with_columns(
        parent=pl.when(pl.col("code") == "overall").then(None).otherwise(pl.lit("overall")),
        level=pl.when(pl.col("code") == "overall").then(0).otherwise(1),
    )
    for name in ("scores", "gap_indices"):
        key = "node" if name == "scores" else "dimension"
        data.marts[name] = data.marts[name].filter(pl.col(key) != "infrastructure")
    return data


def test_a_root_over_leaves_gets_radars_of_its_leaves(tmp_path):
    """Issue 15: a root whose children are all leaves crashed the radar (0 spokes)."""
    data = _flat()
    profiles = report.country_profiles(data, "en")
    files = write_charts(tmp_path, data, "en", profiles)
    assert {p.name for p in files if p.parent.name == "radar"} == {
        f"{c}.{ext}" for c in ("AAA", "BBB", "CCC") for ext in ("png", "svg")
    }
    svg = (tmp_path / "radar" / "AAA.svg").read_text(encoding="utf-8")
    assert all(name in svg for name in ("One", "Two", "Three", "Four"))  # the leaves are the spokes


def test_fewer_than_three_spokes_draw_no_radar_and_the_profile_says_so(tmp_path):
    data = _data()  # root -> one dimension
    profiles = report.country_profiles(data, "en")
    files = write_charts(tmp_path, data, "en", profiles)
    assert not [p for p in files if p.parent.name == "radar"]
    assert ChartSet(data, "en", profiles).radar_canvas() is None


def test_ranking_keeps_unscored_countries_last_with_their_reason():
    table = report.ranking(_data(), "overall", "fr")
    assert table["iso3"].to_list() == ["AAA", "BBB", "CCC"]
    assert table["country"].to_list()[:2] == ["Alande", "Bordurie"]
    assert table.row(2, named=True)["missing_reason"] == "coverage below 0.65"
    assert table["rank_p95"].to_list() == [2.0, 2.0, None]


def test_country_names_fall_back_to_english_when_a_translation_is_missing():
    assert report.country_names(_data(), "fr")["CCC"] == "Carpania"

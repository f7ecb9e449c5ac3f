"""Report tables derived from the marts (pure functions: marts in, Polars frames out).

Every table here is what a report writer pastes: names in the export language, the latest round first,
ranks with their uncertainty interval. Workbook, charts and HTML profiles all read these, so the three
always show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from pipelines import i18n
from pipelines.exports.keys import drawn
from pipelines.exports.marts import PublishedData

STRENGTHS_SHOWN = 3  # indicators listed as strengths and as weaknesses on a profile


def country_names(data: PublishedData, lang: str) -> dict[str, str]:
    countries = data.marts["countries"]
    return dict(
        zip(countries["iso3"], countries[f"name_{lang}"].fill_null(countries["name_en"]), strict=True)
    )


def node_names(data: PublishedData, lang: str) -> dict[str, str]:
    nodes = data.marts["indicators"]
    return dict(zip(nodes["code"], nodes[f"name_{lang}"].fill_null(nodes["name_en"]), strict=True))


def ranking(data: PublishedData, dimension: str, lang: str, round_: int | None = None) -> pl.DataFrame:
    """One dimension (or `overall`) in one round: every country, ranked, with its rank interval.

    Countries without a score stay in the table (rank NULL, reason given): a report must not make a
    country disappear because its data were too thin.
    """
    round_ = data.latest_round if round_ is None else round_
    gaps = data.marts["gap_indices"].filter((pl.col("dimension") == dimension) & (pl.col("round") == round_))
    intervals = data.marts["rank_intervals"].select(
        "iso3", "round", "dimension", "median_rank", "rank_p05", "rank_p95"
    )
    countries = data.marts["countries"].select("iso3", pl.col(f"name_{lang}").alias("country"))
    return (
        gaps.join(intervals, on=["iso3", "round", "dimension"], how="left")
        .join(countries, on="iso3", how="left")
        .select(
            "rank",
            "iso3",
            "country",
            "oic_group",
            "income_group",
            "score",
            "gap",
            "rank_p05",
            "rank_p95",
            "gap_to_frontier",
            "gap_to_oic_median",
            "gap_to_group_median",
            "gap_to_target",
            "change_since_previous",
            "coverage",
            "missing_reason",
        )
        .sort(["rank", "iso3"], nulls_last=True)
    )


def heatmap_matrix(data: PublishedData, round_: int | None = None) -> pl.DataFrame:
    """Countries x dimensions scores of a round, countries in overall-rank order (unscored last)."""
    round_ = data.latest_round if round_ is None else round_
    gaps = data.marts["gap_indices"].filter(pl.col("round") == round_)
    wide = gaps.pivot(on="dimension", index="iso3", values="score", aggregate_function="first")
    order = gaps.filter(pl.col("dimension") == "overall").select("iso3", "rank")
    columns = [d for d in data.dimensions if d in wide.columns]
    return (
        wide.join(order, on="iso3", how="left")
        .sort(["rank", "iso3"], nulls_last=True)
        .select(["iso3", *columns])
    )


def benchmark_values(data: PublishedData, group_type: str, benchmark: str = "median") -> pl.DataFrame:
    """round, node, group_value, value of one benchmark."""
    return (
        data.marts["benchmarks"]
        .filter((pl.col("group_type") == group_type) & (pl.col("benchmark") == benchmark))
        .select("round", "node", "group_value", "value")
    )


def oic_medians_by_round(data: PublishedData) -> pl.DataFrame:
    """round, dimension, OIC median (for the trend chart)."""
    return (
        benchmark_values(data, "oic")
        .filter(pl.col("node").is_in(data.dimensions))
        .select("round", pl.col("node").alias("dimension"), "value")
        .sort("round", "dimension")
    )


@dataclass(frozen=True)
class CountryProfile:
    iso3: str
    name: str
    oic_group: str | None
    income_group: str | None
    round: int
    # dimension, name, score, rank, oic_median, group_median, gap_to_oic_median, gap_to_group_median
    scores: pl.DataFrame
    strengths: pl.DataFrame  # indicator, name, score, oic_median, gap_to_oic_median
    weaknesses: pl.DataFrame
    missing: dict[str, str]  # dimension -> why it has no score (as `missing_reason` says)
    nodes: pl.DataFrame  # node, score, oic_median, group_median of every node (radar spokes)


def country_profiles(data: PublishedData, lang: str) -> dict[str, CountryProfile]:
    """Every country's profile, in the countries mart's order: the workbook, the radar charts and the
    HTML pages of one export set all show these, so they are computed once per set."""
    return {iso3: country_profile(data, iso3, lang) for iso3 in data.marts["countries"]["iso3"]}


def country_profile(data: PublishedData, iso3: str, lang: str) -> CountryProfile:
    """Scores of the latest round against the OIC and group medians; strengths and weaknesses.

    Gaps follow the marts' one sign convention (`gap_to_* = benchmark - score`): positive = behind.
    Strengths (weaknesses) are the indicators whose normalised score is furthest ahead of (behind) the
    OIC median of the same indicator in the same round; an indicator at the median is neither.
    """
    round_ = data.latest_round
    country = data.marts["countries"].filter(pl.col("iso3") == iso3).row(0, named=True)
    names = node_names(data, lang)
    scores = data.marts["scores"].filter((pl.col("iso3") == iso3) & (pl.col("round") == round_))
    oic = benchmark_values(data, "oic").filter(pl.col("round") == round_).select("node", oic_median="value")
    group = (
        benchmark_values(data, "oic_group")
        .filter((pl.col("round") == round_) & (pl.col("group_value") == country["oic_group"]))
        .select("node", group_median="value")
    )
    compared = (
        scores.join(oic, on="node", how="left")
        .join(group, on="node", how="left")
        .with_columns(
            name=pl.col("node").replace_strict(names, default=pl.col("node")),
            gap_to_oic_median=pl.col("oic_median") - pl.col("score"),
            gap_to_group_median=pl.col("group_median") - pl.col("score"),
        )
    )
    order = {code: i for i, code in enumerate(data.dimensions)}
    dimension_rows = (
        compared.filter(pl.col("node").is_in(data.dimensions))
        .with_columns(order=pl.col("node").replace_strict(order, default=len(order)))
        .sort("order")
        .select(
            pl.col("node").alias("dimension"),
            "name",
            "score",
            "rank",
            "oic_median",
            "group_median",
            "gap_to_oic_median",
            "gap_to_group_median",
        )
    )
    indicators = compared.filter(
        (pl.col("node_type") == "indicator") & pl.col("gap_to_oic_median").is_not_null()
    ).select(pl.col("node").alias("indicator"), "name", "score", "oic_median", "gap_to_oic_median")
    strengths = (
        indicators.filter(pl.col("gap_to_oic_median") < 0)
        .sort(["gap_to_oic_median", "indicator"])
        .head(STRENGTHS_SHOWN)
    )
    weaknesses = (
        indicators.filter(pl.col("gap_to_oic_median") > 0)
        .sort(["gap_to_oic_median", "indicator"], descending=[True, False])
        .head(STRENGTHS_SHOWN)
    )
    missing = {
        row["node"]: row["missing_reason"]
        for row in compared.filter(
            pl.col("node").is_in(data.dimensions) & pl.col("score").is_null()
        ).iter_rows(named=True)
    }
    return CountryProfile(
        iso3=iso3,
        name=country[f"name_{lang}"] or country["name_en"],
        oic_group=country["oic_group"],
        income_group=country["income_group"],
        round=round_,
        scores=dimension_rows,
        strengths=strengths,
        weaknesses=weaknesses,
        missing=missing,
        nodes=compared.select("node", "score", "oic_median", "group_median"),
    )


def unscored(
    data: PublishedData, dimension: str, lang: str, round_: int | None = None
) -> list[tuple[str, str]]:
    """(country name, reason) of every country without a score on `dimension` in the round: what a
    chart of that dimension leaves out and why."""
    table = ranking(data, dimension, lang, round_).filter(pl.col("score").is_null())
    names = node_names(data, lang)
    countries = country_names(data, lang)
    return [
        (countries.get(iso3, iso3), i18n.reason(why, lang, names, short=True) or "")
        for iso3, why in zip(table["iso3"], table["missing_reason"], strict=True)
    ]


def radar_spokes(data: PublishedData) -> list[str]:
    """The root's children, in the catalogue's order: the spokes of a country's radar. A root over
    leaves (a tree of depth 1) has indicators as spokes; a root with no children has none."""
    nodes = data.marts["indicators"]
    roots = nodes.filter(pl.col("parent").is_null())["code"].to_list()
    children = nodes.filter(pl.col("parent").is_in(roots))["code"].to_list()
    order = {c: i for i, c in enumerate(data.dimensions)}
    return sorted(children, key=lambda c: (order.get(c, len(order)), c))


def drawn_profile(profile: CountryProfile) -> CountryProfile:
    """The profile with its figures rounded as its radar, page and PDF draw them (`keys.drawn`)."""
    frames = ("scores", "strengths", "weaknesses", "nodes")
    return replace(profile, **{name: drawn(getattr(profile, name)) for name in frames})

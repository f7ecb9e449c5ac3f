"""Suites for the public marts (docs/contracts.md). Column types are enforced by the dbt contracts;
these suites check presence, ranges, keys and the index's internal consistency."""

from __future__ import annotations

from collections.abc import Callable

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from pipelines.exports.marts import PUBLIC_MARTS
from pipelines.quality.reductions import column_contract, present, row_count_vs_previous, unique_key
from pipelines.quality.reference import Reference
from pipelines.quality.spec import ERROR, WARN, Reduction, TableSuite

FIRST_ROUND = 2000

# Public columns per mart (docs/contracts.md); every mart also carries `data_label`.
MART_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries": ("iso3", "iso2", "name_en", "name_fr", "name_ar", "oic_group", "wb_region", "income_group"),
    "indicators": (
        "code",
        "parent",
        "level",
        "node_type",
        "name_en",
        "name_fr",
        "name_ar",
        "unit",
        "direction",
        "weight",
        "normalisation",
        "aggregation",
        "transform",
        "imputation",
        "source",
        "formula",
    ),
    "indicator_values": (
        "iso3",
        "round",
        "indicator",
        "raw_value",
        "denominated_value",
        "imputed_value",
        "imputation_method",
        "is_imputed",
        "treated_value",
        "treatment",
        "normalised_score",
        "source",
        "quality_flag",
        "score_bounded",
    ),
    "scores": (
        "iso3",
        "round",
        "node",
        "level",
        "node_type",
        "score",
        "coverage",
        "missing_reason",
        "rank",
        "rank_in_oic_group",
        "rank_in_income_group",
        "score_bounded",
    ),
    "gap_indices": (
        "iso3",
        "round",
        "dimension",
        "score",
        "gap",
        "rank",
        "coverage",
        "missing_reason",
        "gap_to_frontier",
        "gap_to_oic_median",
        "gap_to_group_median",
        "gap_to_target",
        "change_since_previous",
        "score_bounded",
    ),
    "benchmarks": ("round", "node", "group_type", "group_value", "benchmark", "value"),
    "rank_intervals": ("iso3", "round", "dimension", "median_rank", "rank_p05", "rank_p95", "draws"),
}
# Scores of unbounded methods (scaled, zscore:<m>:<s>, rank_raw, borda, uncapped goalposts, Copeland)
# may leave 0-100: the marts say so per row (score_bounded false) and the range checks skip them, as
# the dbt `within_range` tests do. NULL (an older mart) counts as bounded.
BOUNDED = Column("score_bounded").is_null() | (Column("score_bounded") == True)  # noqa: E712


def mart_suite(model: str, ref: Reference) -> TableSuite:
    name = f"marts.{model}"
    rows_sql = f"SELECT * FROM {name}"
    key = PUBLIC_MARTS[model]  # the marts' natural keys, one table for checks and exports
    columns = {c: None for c in (*MART_COLUMNS[model], "data_label")}
    reductions: list[Reduction] = [
        column_contract(name, name, columns),
        unique_key(name, rows_sql, key, False),
    ]
    expectations = [
        gxe.ExpectColumnValuesToNotBeNull(column=c, severity=ERROR) for c in key if c != "group_value"
    ]
    if "iso3" in columns:
        expectations.append(
            gxe.ExpectColumnValuesToBeInSet(column="iso3", value_set=sorted(ref.countries), severity=ERROR)
        )
        reductions.append(row_count_vs_previous(name, rows_sql))
    if "round" in columns:
        expectations.append(
            gxe.ExpectColumnValuesToBeBetween(
                column="round", min_value=FIRST_ROUND, max_value=ref.current_year + 1, severity=ERROR
            )
        )
    specific_expectations, specific_reductions = _SPECIFIC[model](name)
    return TableSuite(
        name=name,
        relation=name,
        rows_sql=rows_sql,
        rows=gx.ExpectationSuite(name=f"{name}.rows", expectations=[*expectations, *specific_expectations]),
        id_columns=tuple(c for c in key if c != "group_value"),
        # read by row_conditions; absent ones are skipped
        condition_columns=("missing_reason", "parent", "score_bounded"),
        reductions=(*reductions, *specific_reductions),
    )


_Parts = tuple[list[gxe.Expectation], list[Reduction]]


def _score_0_100(column: str, severity=ERROR, bounded_only: bool = True) -> gxe.Expectation:
    if not bounded_only:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=100, severity=severity)
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=0, max_value=100, row_condition=BOUNDED, severity=severity
    )


def _scored(column: str = "score") -> list[gxe.Expectation]:
    """Scores lie in 0-100; a missing score must say why (missing_reason)."""
    return [
        _score_0_100(column),
        gxe.ExpectColumnValuesToNotBeNull(
            column=column,
            row_condition=Column("missing_reason").is_null(),
            severity=ERROR,
            notes="a NULL score needs a missing_reason",
        ),
        gxe.ExpectColumnValuesToBeBetween(column="coverage", min_value=0, max_value=1, severity=ERROR),
        gxe.ExpectColumnValuesToBeBetween(column="rank", min_value=1, severity=ERROR),
    ]


def _countries(name: str) -> _Parts:
    # Any list of units with any group labels (a user's regions, institutions, non-members): the
    # OIC geographical groups are not required.
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="name_en", severity=ERROR),
        gxe.ExpectColumnValuesToNotBeNull(column="income_group", severity=WARN),
    ], []


def _indicators(name: str) -> _Parts:
    node_types = ["index", "dimension", "subdimension", "indicator"]
    children = f"""
        SELECT p.code AS parent, count(c.code) AS children, coalesce(sum(c.weight), 0) AS child_weight_sum
        FROM {name} AS p LEFT JOIN {name} AS c ON c.parent = p.code
        WHERE p.node_type <> 'indicator' GROUP BY p.code
    """
    parents = f"""
        SELECT c.code, c.parent, p.code IS NOT NULL AS present
        FROM {name} AS c LEFT JOIN {name} AS p ON p.code = c.parent WHERE c.parent IS NOT NULL
    """
    return [
        gxe.ExpectColumnValuesToBeInSet(column="node_type", value_set=node_types, severity=ERROR),
        gxe.ExpectColumnValuesToBeBetween(
            column="weight",
            min_value=0,
            row_condition=Column("parent").is_not_null(),
            severity=ERROR,
            notes="weights are >= 0: a zero-weight node is carried but does not count",
        ),
    ], [
        Reduction(
            name="children",
            sql=children,
            suite=gx.ExpectationSuite(
                name=f"{name}.children",
                expectations=[
                    gxe.ExpectColumnValuesToBeBetween(column="children", min_value=1, severity=ERROR),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="child_weight_sum", min_value=0, strict_min=True, severity=ERROR
                    ),
                ],
            ),
            id_columns=("parent",),
        ),
        present(name, "parent_exists", parents, ("code", "parent")),
    ]


def _indicator_values(name: str) -> _Parts:
    known = f"""
        SELECT v.indicator, count(*) AS rows, bool_or(i.code IS NOT NULL) AS present
        FROM {name} AS v LEFT JOIN marts.indicators AS i ON i.code = v.indicator GROUP BY v.indicator
    """
    return [_score_0_100("normalised_score")], [
        present(name, "indicator_in_catalogue", known, ("indicator", "rows"))
    ]


def _scores(name: str) -> _Parts:
    return _scored(), []


def _gap_indices(name: str) -> _Parts:
    # Every unit of marts.countries x every round x the root (whatever its code) and its children.
    grid = f"""
        WITH root AS (SELECT code FROM marts.indicators WHERE level = 0), dims AS (
            SELECT code AS dimension FROM marts.indicators
            WHERE code IN (SELECT code FROM root) OR parent IN (SELECT code FROM root)
        ), rounds AS (SELECT DISTINCT round FROM {name})
        SELECT c.iso3, r.round, d.dimension, g.iso3 IS NOT NULL AS present
        FROM marts.countries AS c CROSS JOIN rounds AS r CROSS JOIN dims AS d
        LEFT JOIN (SELECT DISTINCT iso3, round, dimension FROM {name}) AS g
          ON g.iso3 = c.iso3 AND g.round = r.round AND g.dimension = d.dimension
    """
    return [*_scored(), _score_0_100("gap")], [
        present(name, "complete_grid", grid, ("iso3", "round", "dimension"))
    ]


def _benchmarks(name: str) -> _Parts:
    return [
        # group_type: `oic` (all units) or any group column of the unit list: not a fixed set
        gxe.ExpectColumnValuesToBeInSet(
            column="benchmark", value_set=["frontier", "median", "mean", "min"], severity=ERROR
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="value", severity=WARN),
        _score_0_100("value", WARN, bounded_only=False),
    ], []


def _rank_intervals(name: str) -> _Parts:
    def ordered(low: str, high: str) -> gxe.Expectation:
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=high,
            column_B=low,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity=ERROR,
        )

    return [
        ordered("rank_p05", "median_rank"),
        ordered("median_rank", "rank_p95"),
        gxe.ExpectColumnValuesToBeBetween(column="rank_p05", min_value=1, severity=ERROR),
        # draws = 0 (and NULL ranks) for a country x round x dimension without a score: it is still
        # listed, as in gap_indices, so a missing row means a bug and an unranked one means no data.
        gxe.ExpectColumnValuesToBeBetween(column="draws", min_value=0, severity=ERROR),
    ], []


_SPECIFIC: dict[str, Callable[[str], _Parts]] = {
    "countries": _countries,
    "indicators": _indicators,
    "indicator_values": _indicator_values,
    "scores": _scores,
    "gap_indices": _gap_indices,
    "benchmarks": _benchmarks,
    "rank_intervals": _rank_intervals,
}

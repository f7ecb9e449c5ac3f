"""Each mart suite passes on a small consistent index and fails on data that breaks it."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import pytest

from pipelines.quality.mart_suites import MART_COLUMNS, mart_suite
from pipelines.quality.reference import Reference
from pipelines.quality.runner import validate
from tests.quality.factories import COUNTRIES

DIMENSIONS = ["infrastructure", "digital_skills"]


def _marts() -> dict[str, list[dict]]:
    cells = [(iso3, dim) for iso3 in COUNTRIES for dim in ["overall", *DIMENSIONS]]
    return {
        "countries": [
            {"iso3": c, "iso2": c[:2], "name_en": c, "oic_group": "Asian", "income_group": "Low income"}
            for c in COUNTRIES
        ],
        "indicators": [
            {"code": "overall", "parent": None, "level": 0, "node_type": "index", "weight": None},
            *[
                {"code": d, "parent": "overall", "level": 1, "node_type": "dimension", "weight": 0.5}
                for d in DIMENSIONS
            ],
            *[
                {"code": f"{d}_x", "parent": d, "level": 2, "node_type": "indicator", "weight": 1.0}
                for d in DIMENSIONS
            ],
        ],
        "indicator_values": [
            {"iso3": c, "round": 2025, "indicator": f"{d}_x", "raw_value": 3.0, "normalised_score": 40.0}
            for c in COUNTRIES
            for d in DIMENSIONS
        ],
        "scores": [
            {"iso3": c, "round": 2025, "node": d, "score": 50.0, "coverage": 1.0, "rank": 1} for c, d in cells
        ],
        "gap_indices": [
            {"iso3": c, "round": 2025, "dimension": d, "score": 50.0, "gap": 50.0, "rank": 1, "coverage": 0.8}
            for c, d in cells
        ],
        "benchmarks": [
            {
                "round": 2025,
                "node": d,
                "group_type": "oic",
                "group_value": None,
                "benchmark": "median",
                "value": 50.0,
            }
            for d in ["overall", *DIMENSIONS]
        ],
        "rank_intervals": [
            {
                "iso3": c,
                "round": 2025,
                "dimension": d,
                "median_rank": 2,
                "rank_p05": 1,
                "rank_p95": 3,
                "draws": 1000,
            }
            for c, d in cells
        ],
    }


def _write(con: duckdb.DuckDBPyConnection, marts: dict[str, list[dict]]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    for model, rows in marts.items():
        columns = [*MART_COLUMNS[model], "data_label"]
        frame = pd.DataFrame([{**dict.fromkeys(columns), **row} for row in rows], columns=columns)
        # Text columns stay VARCHAR even when every value of the fixture is NULL.
        frame = frame.astype({c: "object" for c in columns if frame[c].isna().all()})
        con.register("_frame", frame)
        con.execute(f"CREATE OR REPLACE TABLE marts.{model} AS SELECT * FROM _frame")
        con.unregister("_frame")


def _set(rows: list[dict], where: Callable[[dict], bool], **values) -> None:
    for row in rows:
        if where(row):
            row.update(values)


def _is(iso3: str, dim: str = "infrastructure", key: str = "dimension") -> Callable[[dict], bool]:
    return lambda r: r.get("iso3") == iso3 and r.get(key) == dim


@pytest.mark.parametrize("model", list(MART_COLUMNS))
def test_consistent_marts_pass(con: duckdb.DuckDBPyConnection, ref: Reference, model: str) -> None:
    _write(con, _marts())
    report = validate(con, mart_suite(model, ref))
    assert report.passed, report.message()


def _drop_cell(m: dict) -> None:
    m["gap_indices"] = [r for r in m["gap_indices"] if not _is("ALB", "digital_skills")(r)]


def _score_120(m: dict) -> None:
    _set(m["scores"], _is("DZA", "overall", "node"), score=120.0)


def _null_score_without_reason(m: dict) -> None:
    _set(m["gap_indices"], _is("AFG"), score=None, gap=None)


def _null_score_with_reason(m: dict) -> None:
    _set(m["gap_indices"], _is("AFG"), score=None, gap=None, missing_reason="coverage below 65%")


def _rank_p05_above_median(m: dict) -> None:
    _set(m["rank_intervals"], _is("DZA"), rank_p05=3)


def _negative_draws(m: dict) -> None:
    _set(m["rank_intervals"], _is("DZA"), draws=-1)


def _unranked_without_score(m: dict) -> None:
    _set(m["rank_intervals"], _is("DZA"), draws=0, median_rank=None, rank_p05=None, rank_p95=None)


def _zero_weight_children(m: dict) -> None:
    _set(m["indicators"], lambda r: r["parent"] == "digital_skills", weight=0.0)


def _unknown_oic_group(m: dict) -> None:
    _set(m["countries"], lambda r: r["iso3"] == "ALB", oic_group="European")


def _unbounded_score(m: dict) -> None:
    _set(m["scores"], _is("DZA", "overall", "node"), score=160.0, score_bounded=False)


def _negative_normalised_score(m: dict) -> None:
    _set(
        m["indicator_values"],
        lambda r: r["iso3"] == "AFG" and r["indicator"] == "digital_skills_x",
        normalised_score=-1.0,
    )


def _duplicate_score_row(m: dict) -> None:
    m["scores"].append(dict(m["scores"][0]))


def _bad_group_type(m: dict) -> None:
    m["benchmarks"][0]["group_type"] = "continent"


def _unknown_country(m: dict) -> None:
    m["rank_intervals"][0]["iso3"] = "FRA"


# (model, breakage, {(expectation, column, scope): unexpected count}, an example's identifying values)
BREAKS = [
    (
        "gap_indices",
        _drop_cell,
        {("expect_column_values_to_be_in_set", "present", "complete_grid"): 1},
        {"iso3": "ALB", "dimension": "digital_skills", "round": 2025},
    ),
    (
        "scores",
        _score_120,
        {("expect_column_values_to_be_between", "score", "rows"): 1},
        {"value": 120.0, "iso3": "DZA", "node": "overall"},
    ),
    (
        "gap_indices",
        _null_score_without_reason,
        {("expect_column_values_to_not_be_null", "score", "rows"): 1},
        {"iso3": "AFG", "dimension": "infrastructure"},
    ),
    ("gap_indices", _null_score_with_reason, {}, None),
    ("scores", _unbounded_score, {}, None),  # scaled / uncapped methods may leave 0-100
    (
        "rank_intervals",
        _rank_p05_above_median,
        {("expect_column_pair_values_a_to_be_greater_than_b", "median_rank, rank_p05", "rows"): 1},
        {"value": [2, 3], "iso3": "DZA", "dimension": "infrastructure"},
    ),
    (
        "rank_intervals",
        _negative_draws,
        {("expect_column_values_to_be_between", "draws", "rows"): 1},
        {"value": -1, "iso3": "DZA", "dimension": "infrastructure"},
    ),
    ("rank_intervals", _unranked_without_score, {}, None),
    (
        "indicators",
        _zero_weight_children,
        # zero weights are allowed, but not a parent whose children all weigh 0 (as the dbt test)
        {("expect_column_values_to_be_between", "child_weight_sum", "children"): 1},
        {"value": 0.0, "parent": "digital_skills"},
    ),
    ("countries", _unknown_oic_group, {}, None),  # any unit list, any group labels
    (
        "indicator_values",
        _negative_normalised_score,
        {("expect_column_values_to_be_between", "normalised_score", "rows"): 1},
        {"value": -1.0, "iso3": "AFG"},
    ),
    (
        "scores",
        _duplicate_score_row,
        {("expect_column_values_to_be_between", "rows_with_key", "unique_key"): 1},
        {"value": 2, "iso3": "AFG", "node": "overall"},
    ),
    ("benchmarks", _bad_group_type, {}, None),  # a group column of the user's unit list
    (
        "rank_intervals",
        _unknown_country,
        {("expect_column_values_to_be_in_set", "iso3", "rows"): 1},
        {"value": "FRA"},
    ),
]


@pytest.mark.parametrize(
    ("model", "breakage", "expected", "example"), BREAKS, ids=[b[1].__name__ for b in BREAKS]
)
def test_broken_marts_fail(
    con: duckdb.DuckDBPyConnection, ref: Reference, model: str, breakage, expected: dict, example: dict | None
) -> None:
    marts = _marts()
    breakage(marts)
    _write(con, marts)
    report = validate(con, mart_suite(model, ref))
    found = {(f.expectation, f.column, f.scope): f.unexpected_count for f in report.failures}
    assert found == expected, report.message()
    assert all(f.severity == "ERROR" for f in report.failures)
    if example is not None:
        examples = [e for f in report.failures for e in f.examples]
        assert any(example.items() <= e.items() for e in examples), examples

"""The mart comparison on hand-made frames: what counts as the same mart, and what does not."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.portability.compare import compare_mart, values_match

KEY = ("iso3", "round")


def frame(**overrides) -> pd.DataFrame:
    data = {
        "iso3": ["AFG", "ALB", "DZA"],
        "round": np.array([2023, 2023, 2024], dtype="int32"),
        "score": [12.5, 50.0, None],
        "method": ["minmax", "rank", None],
        "lineage_files": [["a.csv", "b.csv"], ["c.csv"], None],
        "bounded": [True, False, True],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_the_same_mart_from_another_engine_is_identical():
    spark_like = frame(round=np.array([2023, 2023, 2024], dtype="int64"))  # int vs bigint keys
    result = compare_mart("scores", KEY, frame(), spark_like.iloc[::-1])  # any row order
    assert result.identical
    assert (result.rows_reference, result.rows_candidate, result.columns_compared) == (3, 3, 4)


def test_a_difference_in_the_last_bits_of_a_double_is_the_same_value():
    # 12.5 + 1e-14: a different summation order, not a different score
    result = compare_mart("scores", KEY, frame(), frame(score=[12.5 + 1e-14, 50.0, None]))
    assert result.identical
    assert 0 < result.max_abs_difference < 1e-13


def test_a_value_off_by_more_than_the_tolerance_is_reported_with_its_key():
    result = compare_mart("scores", KEY, frame(), frame(score=[12.5, 50.000001, None]))
    assert not result.identical
    (difference,) = result.differences
    assert difference.column == "score" and difference.differing_rows == 1
    assert difference.examples == [{"key": ["ALB", 2023], "reference": 50.0, "candidate": 50.000001}]


def test_null_matches_only_null():
    result = compare_mart(
        "scores", KEY, frame(), frame(score=[12.5, 50.0, 0.0], method=["minmax", "rank", ""])
    )
    assert {d.column: d.differing_rows for d in result.differences} == {"score": 1, "method": 1}


def test_lineage_lists_are_compared_as_sets():
    reordered = frame(lineage_files=[np.array(["b.csv", "a.csv"]), ["c.csv"], None])
    assert compare_mart("scores", KEY, frame(), reordered).identical
    missing_file = frame(lineage_files=[["a.csv"], ["c.csv"], None])
    assert [d.column for d in compare_mart("scores", KEY, frame(), missing_file).differences] == [
        "lineage_files"
    ]


def test_missing_and_extra_rows_and_columns_are_counted():
    fewer = frame().iloc[:2]
    extra_column = frame().assign(rank=[1, 2, 3])
    result = compare_mart("scores", KEY, frame(), fewer)
    assert (result.rows_candidate, result.keys_only_in_reference, result.keys_only_in_candidate) == (2, 1, 0)
    assert not result.identical
    result = compare_mart("scores", KEY, frame(), extra_column)
    assert result.columns_only_in_candidate == ["rank"] and not result.identical


def test_duplicate_keys_fail_the_comparison():
    doubled = pd.concat([frame(), frame().iloc[:1]])
    result = compare_mart("scores", KEY, frame(), doubled)
    assert result.duplicate_keys == 1 and not result.identical


def test_cell_rules():
    assert values_match(1.0, 1.0 + 5e-10)[0]
    assert not values_match(1e6, 1e6 + 0.01)[0]  # relative: 1e-8 of 1e6 is over 1e-9
    assert values_match(True, True)[0] and not values_match(True, False)[0]
    assert values_match(float("inf"), float("inf"))[0]
    assert values_match(None, float("nan"))[0] and values_match(pd.NA, None)[0]
    assert not values_match("a", None)[0]

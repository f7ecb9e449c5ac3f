"""The shared validation idioms (pipelines/ingest/rows/checks.py) as each parser uses them."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.rows import reasons as r
from pipelines.ingest.rows.checks import number_checks, require_columns
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.rows.numbers import parse_numbers
from pipelines.ingest.rows.rejects import split_rejects


def _verdicts(cells: list[str | None], **kind: bool) -> list[tuple[int, str, str]]:
    frame = pl.DataFrame({"Students": cells, ROW: list(range(2, len(cells) + 2))})
    parsed = parse_numbers(frame["Students"])
    _, rejects = split_rejects(
        frame, number_checks("Students", parsed.value, parsed.invalid, **kind), "f.csv", None, ["Students"]
    )
    return list(zip(rejects[ROW], rejects["reason_code"], rejects["message"], strict=True))


def test_counts_are_numbers_whole_and_not_negative() -> None:
    assert _verdicts(["12", "abc", "1,5", "-3", None, "7"], whole=True, count=True) == [
        (3, r.INVALID_NUMBER, "f.csv row 3, column 'Students': 'abc' is not a number"),
        (4, r.INVALID_NUMBER, "f.csv row 4, column 'Students': '1,5' is not a whole number"),
        (5, r.OUT_OF_RANGE, "f.csv row 5, column 'Students': '-3' is negative: a count cannot be"),
    ]


def test_a_measure_may_be_fractional_and_negative() -> None:
    assert [reason for _, reason, _ in _verdicts(["1,5", "-3", "abc"])] == [r.INVALID_NUMBER]


def test_require_columns_names_the_first_missing_one_and_the_sheet() -> None:
    require_columns({"year": "Année"}, ("year",), "f.xlsx")
    with pytest.raises(FileRejected) as exc:
        require_columns({"year": "Année"}, ("year", "value", "indicator"), "f.xlsx", "2024")
    assert exc.value.reason_code == r.MISSING_REQUIRED_COLUMN
    assert exc.value.message == "f.xlsx (sheet '2024'): required column 'value' is missing"

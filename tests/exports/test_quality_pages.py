"""The quality report pages built from a run's GX validation results: offline, complete, one per scope."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipelines.quality.docs import render_data_docs


def _result(expectation: str, column: str, success: bool, unexpected: int, examples: list) -> dict:
    return {
        "success": success,
        "expectation_config": {
            "type": expectation,
            "kwargs": {"column": column, "min_value": 0},
            "severity": "critical",
        },
        "result": {
            "element_count": 10,
            "unexpected_count": unexpected,
            "unexpected_percent": unexpected * 10.0,
            "partial_unexpected_list": examples,
        },
        "exception_info": {"raised_exception": False, "exception_message": None},
    }


def _write_report(folder: Path) -> None:
    report = {
        "suite": "raw.equipment_inventory",
        "relation": "raw.equipment_inventory",
        "row_count": 10,
        "severity": "ERROR",
        "outcomes": [
            {
                "expectation": "expect_column_values_to_be_between",
                "column": "quantity",
                "scope": "rows",
                "severity": "ERROR",
            },
            {
                "expectation": "expect_column_values_to_not_be_null",
                "column": "iso3",
                "scope": "rows",
                "severity": "WARN",
            },
        ],
        "gx_results": [
            {
                "success": False,
                "suite_name": "raw.equipment_inventory.rows",
                "statistics": {
                    "evaluated_expectations": 2,
                    "successful_expectations": 1,
                    "unsuccessful_expectations": 1,
                },
                "results": [
                    _result("expect_column_values_to_be_between", "quantity", False, 3, [-1, -2, -5]),
                    _result("expect_column_values_to_not_be_null", "iso3", True, 0, []),
                ],
            }
        ],
    }
    (folder / "raw.equipment_inventory.json").write_text(json.dumps(report), encoding="utf-8")
    (folder / "other.json").write_text("[1, 2]", encoding="utf-8")  # not a report: ignored


def test_quality_pages_show_every_expectation_and_load_nothing(tmp_path: Path) -> None:
    _write_report(tmp_path)
    index = render_data_docs(tmp_path)
    assert index == tmp_path / "data_docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert 'data-scope="raw.equipment_inventory.rows"' in html and ">failed<" in html and ">ERROR<" in html
    assert re.search(r'class="num">2</td>\s*<td class="num">1</td>\s*<td class="num">1</td>', html)
    page = (tmp_path / "data_docs" / "validations" / "raw.equipment_inventory.rows.html").read_text(
        encoding="utf-8"
    )
    assert page.count("<tr data-expectation=") == 2
    assert "expect_column_values_to_be_between" in page and "-1, -2, -5" in page and "30.00" in page
    assert ">ERROR<" in page and ">WARN<" in page and "critical" not in page  # vetdx's severities
    for text in (html, page):
        assert "<script" not in text and not re.search(r'(src|href)="(https?:)?//', text)
        assert "&#34;" not in text.split("</style>")[0]  # the inline style is not escaped into nonsense

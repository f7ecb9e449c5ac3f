"""`vetdx sql` takes a query, a `.sql` file or standard input, and prints table, CSV, JSON or Markdown."""

from __future__ import annotations

import io
import json

import pytest

from pipelines.analyst.output import format_rows
from pipelines.cli import main

RANKING = "queries/01_latest_overall_ranking.sql"


def test_the_ranking_query_file_prints_the_ranking(env, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the path is found from the repository root too
    assert main(["sql", RANKING, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "round,rank,iso3,name_en,oic_group,score,gap,rank_p05,rank_p95,coverage,data_label"
    # 2025 only; rank order, NULL rank last; round(77.64, 1) = 77.6, round(100 - 77.64, 1) = 22.4.
    assert [line.split(",")[:7] for line in lines[1:]] == [
        ["2025", "1", "GUY", "Guyana", "Asian", "77.6", "22.4"],
        ["2025", "2", "KWT", "Kuwait", "Arab", "71.2", "28.8"],
        ["2025", "", "BHR", "Bahrain", "Arab", "", ""],
    ]


def test_standard_input(env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("select count(*) as n from marts.countries;\n"))
    assert main(["sql", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 3}]


def test_a_script_prints_its_last_statement(env, capsys):
    sql = (
        "use marts;\ncreate temp table top as select * from gap_indices where rank = 1;\n"
        "select iso3 from top order by round"
    )
    assert main(["sql", sql, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["iso3", "KWT", "GUY"]


def test_markdown_escapes_pipes():
    out = format_rows(["a", "b"], [("x|y", None), ("2", 3)], "markdown")
    assert out.splitlines() == ["| a | b |", "| --- | --- |", "| x\\|y |  |", "| 2 | 3 |"]


def test_table_counts_rows():
    out = format_rows(["iso3"], [("GUY",)], "table").splitlines()
    assert out == ["iso3", "----", "GUY ", "(1 row)"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_every_format_holds_the_value(fmt, env, capsys):
    assert main(["sql", "select name_en from marts.countries where iso3 = 'KWT'", "--format", fmt]) == 0
    assert "Kuwait" in capsys.readouterr().out

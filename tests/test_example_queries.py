"""Every example query in `queries/` runs on the published sample warehouse and answers something."""

from __future__ import annotations

import duckdb
import pytest

from pipelines import settings as cfg
from pipelines.cli import main as vetdx

QUERIES = sorted((cfg.REPO_ROOT / "queries").glob("*.sql"))


def test_the_queries_folder_is_not_empty():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("path", QUERIES, ids=[p.name for p in QUERIES])
def test_example_query_runs_read_only_and_returns_rows(path, sample_refresh):
    ws, report = sample_refresh
    assert report.success, report.render()
    with duckdb.connect(str(ws.warehouse), read_only=True) as con:
        result = con.execute(path.read_text(encoding="utf-8"))
        columns = [d[0] for d in result.description]
        rows = result.fetchall()
    assert rows, f"{path.name} returned no rows on the sample"
    assert len(set(columns)) == len(columns), path.name
    assert any(value is not None for row in rows for value in row), path.name


def test_vetdx_sql_answers_from_the_published_file(sample_refresh, capsys, monkeypatch):
    ws, _ = sample_refresh
    for key, value in ws.env().items():
        monkeypatch.setenv(key, value)
    assert (
        vetdx(["sql", "select iso3, name_fr from marts.countries where iso3 = 'CIV'", "--format", "csv"]) == 0
    )
    assert capsys.readouterr().out.strip().splitlines() == ["iso3,name_fr", "CIV,Côte d'Ivoire"]
    assert vetdx(["sql", "select * from marts.nope"]) == 1

"""`vetdx sql --out NAME.csv|.parquet|.xlsx` writes into the operator's folder, nowhere else."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pytest

import vetdx
from pipelines.cli import main

QUERY = (
    "select iso3, name_en, score from marts.gap_indices join marts.countries using (iso3) "
    "where round = 2025 order by iso3"
)
EXPECTED = [("BHR", "Bahrain", None), ("GUY", "Guyana", 77.64), ("KWT", "Kuwait", 71.24)]


def test_csv(env, capsys):
    assert main(["sql", QUERY, "--out", "gaps.csv"]) == 0
    assert capsys.readouterr().out.strip() == f"3 rows written to {env / 'gaps.csv'}"
    with (env / "gaps.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["iso3", "name_en", "score"],
        ["BHR", "Bahrain", ""],
        ["GUY", "Guyana", "77.64"],
        ["KWT", "Kuwait", "71.24"],
    ]


def test_parquet(env, capsys):
    assert main(["sql", QUERY, "--out", "gaps.parquet"]) == 0
    with duckdb.connect() as con:
        assert con.sql(f"select * from '{env / 'gaps.parquet'}'").fetchall() == EXPECTED


def test_xlsx(env, capsys):
    assert main(["sql", QUERY, "--out", "gaps.xlsx"]) == 0
    sheet = openpyxl.load_workbook(env / "gaps.xlsx", read_only=True).active
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [("iso3", "name_en", "score"), *EXPECTED]


def test_operator_folder_from_the_environment(env, tmp_path, monkeypatch, capsys):
    chosen = tmp_path / "shared" / "analysts"
    monkeypatch.setenv("VETDX_SQL_EXPORT_DIR", str(chosen))
    assert main(["sql", QUERY, "--out", "g.csv"]) == 0
    assert (chosen / "g.csv").is_file() and not env.exists()


def test_python_export(env):
    with vetdx.connect() as con:
        target = con.export(QUERY, "gaps.parquet")
    assert target == env / "gaps.parquet"
    with duckdb.connect() as con:
        assert con.sql(f"select count(*) from '{target}'").fetchone() == (3,)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../gaps.csv", "--out takes a file name, not a path"),
        (str(Path.cwd().anchor) + "gaps.csv", "--out takes a file name, not a path"),  # absolute
        ("gaps.duckdb", "the name must end in .csv, .parquet, .xlsx"),
        ("gaps", "the name must end in .csv, .parquet, .xlsx"),
    ],
)
def test_bad_names(name, message, env, capsys):
    assert main(["sql", QUERY, "--out", name]) == 2
    assert message in capsys.readouterr().err
    assert not env.exists()


@pytest.mark.parametrize("where", ["same", "inside", "above"])
def test_folder_overlapping_the_warehouse_is_refused(where, store, env, monkeypatch, capsys):
    folder = {"same": store.root, "inside": store.root / "x", "above": store.root.parent}[where]
    monkeypatch.setenv("VETDX_SQL_EXPORT_DIR", str(folder))
    before = store.hashes()
    assert main(["sql", QUERY, "--out", "vetdx.csv"]) == 2
    assert "overlaps the warehouse folder" in capsys.readouterr().err
    assert store.hashes() == before


def test_a_statement_without_rows_cannot_be_exported(env, capsys):
    assert main(["sql", "create temp table t as select 1", "--out", "t.csv"]) == 2
    assert "--out needs a statement that returns rows" in capsys.readouterr().err

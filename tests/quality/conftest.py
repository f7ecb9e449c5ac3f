"""Throw-away DuckDB warehouses and a tiny seeds folder for the quality suites."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.quality.reference import Reference, load_reference
from pipelines.seeds import read_seeds
from tests.quality.factories import create_raw_tables

SEEDS = {
    "countries.csv": "iso3,iso2,name_en,oic_group\nAFG,AF,Afghanistan,Asian\nALB,AL,Albania,Asian\n"
    "DZA,DZ,Algeria,Arab\n",
    "survey_codebook.csv": "question_code,question_type,unit\ngraduates_certified_pct,percent,percent\n"
    "teachers_total,integer,count\nhas_computer_lab,yes_no,\n",
    "equipment_taxonomy.csv": "item_code,category\nlaptop,computing\nlathe,workshop\n",
    "indicator_catalogue.csv": "code,parent,unit,source_code\noverall,,,\n"
    "itu_internet_users_pct,infrastructure,pct,IT.NET.USER.ZS\nwb_fixed_broadband_per100,infrastructure,per100,\n",
}


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, text in SEEDS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    create_raw_tables(connection)
    yield connection
    connection.close()


@pytest.fixture
def ref(seeds_dir: Path) -> Reference:
    return load_reference(read_seeds(seeds_dir), current_year=2026)

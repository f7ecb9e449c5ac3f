"""Row rules at ingest agree with the blocking raw checks for every tabular source (issue 12):
a ministry or inventory row the checks would reject is quarantined with its reason, so what lands
passes the checks and one odd row does not stop publication for the other members."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.landing.loader import ingest_source
from pipelines.ingest.landing.parallel import FileParser
from pipelines.ingest.parse import parse_file
from pipelines.ingest.rows import reasons as r
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.rows.rules import last_year
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import load_reference
from pipelines.quality.runner import validate
from pipelines.seeds import read_seeds
from tests.ingest.conftest import SEEDS

NEXT = last_year(ParseContext.from_seeds(SEEDS, b"k").current_year)

MINISTRY = (
    "country,year,vet_level,ownership,sex,measure,value\n"
    "Azerbaijan,2024,total,public,total,institutions,80\n"  # lands
    "Azerbaijan,2024,total,public,female,students,-20000\n"  # a negative count
    "Azerbaijan,1999,total,public,total,institutions,75\n"  # before the first round
    f"Azerbaijan,{NEXT + 1},total,public,total,institutions,90\n"  # a plan, not a count
    "Azerbaijan,,total,private,total,institutions,12\n"  # no year at all
)

EQUIPMENT = (
    "country,year,institution_id,institution_name,item,quantity,in_working_order,year_acquired\n"
    "AZE,2025,A1,School 1,laptop,10,8,2021\n"  # lands
    "AZE,2025,A1,School 1,desktop computer,-3,0,2021\n"  # a negative quantity
    "AZE,1998,A2,School 2,laptop,4,4,1997\n"  # before the first round
)


def _write(raw: Path, name: str, text: str) -> Path:
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_ministry_rows_the_checks_reject_are_quarantined(tmp_path: Path, ctx: ParseContext) -> None:
    path = _write(tmp_path, "institutions/AZE_counts.csv", MINISTRY)
    parsed = parse_file(path, "institutions", ctx, "institutions/AZE_counts.csv")
    (table,) = parsed.tables
    assert table.rows.select("year", "measure", "value").rows() == [(2024, "institutions", 80.0)]
    assert dict(zip(table.rejects["_row_number"], table.rejects["reason_code"], strict=True)) == {
        3: r.OUT_OF_RANGE,
        4: r.YEAR_OUT_OF_SCOPE,
        5: r.YEAR_OUT_OF_SCOPE,
        6: r.MISSING_REQUIRED,
    }
    assert parsed.rows_read == 5
    assert "'-20000' is negative" in table.rejects["message"][0]


def test_inventory_rows_the_checks_reject_are_quarantined(tmp_path: Path, ctx: ParseContext) -> None:
    path = _write(tmp_path, "inventory/AZE_2025_equipment.csv", EQUIPMENT)
    parsed = parse_file(path, "inventory", ctx, "inventory/AZE_2025_equipment.csv")
    (table,) = parsed.tables
    assert table.rows.select("iso3", "year", "quantity").rows() == [("AZE", 2025, 10)]
    assert dict(zip(table.rejects["_row_number"], table.rejects["reason_code"], strict=True)) == {
        3: r.OUT_OF_RANGE,
        4: r.YEAR_OUT_OF_SCOPE,
    }


def test_a_year_from_the_file_name_outside_the_period_rejects_the_file(
    tmp_path: Path, ctx: ParseContext
) -> None:
    name = f"institutions/AZE_{NEXT + 3}_plan.csv"
    path = _write(tmp_path, name, "vet_level,measure,value\ntotal,institutions,80\n")
    with pytest.raises(FileRejected) as err:
        parse_file(path, "institutions", ctx, name)
    assert err.value.reason_code == r.YEAR_OUT_OF_SCOPE
    assert f"the year {NEXT + 3} given by the sheet, title or file name" in err.value.message


@pytest.mark.parametrize(
    ("source", "name", "text", "table"),
    [
        ("institutions", "institutions/AZE_counts.csv", MINISTRY, "institution_counts"),
        ("inventory", "inventory/AZE_2025_equipment.csv", EQUIPMENT, "equipment_inventory"),
    ],
)
def test_what_lands_passes_the_blocking_checks(
    tmp_path: Path, ctx: ParseContext, source: str, name: str, text: str, table: str
) -> None:
    _write(tmp_path / "raw", name, text)
    con = duckdb.connect()
    (outcome,) = ingest_source(con, tmp_path / "raw", source, FileParser(ctx), workers=0).files
    assert outcome.rows_read == outcome.rows_landed + outcome.rows_quarantined
    assert outcome.rows_landed == 1
    report = validate(con, raw_suite(table, load_reference(read_seeds(SEEDS))))
    assert report.passed, report.message()

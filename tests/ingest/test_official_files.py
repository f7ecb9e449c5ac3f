"""Official files as publishers send them (issue 12): the good rows land with the right ISO3, year
and value, the rest is quarantined with a reason that says what is wrong, rows reconcile
(read = landed + quarantined), and nothing that lands can fail a blocking raw check."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.landing.loader import ingest_source
from pipelines.ingest.landing.parallel import FileParser
from pipelines.ingest.parse import parse_file
from pipelines.ingest.rows import reasons as r
from pipelines.ingest.rows.rules import FIRST_YEAR, last_year
from pipelines.ingest.sources.official import COLUMNS
from pipelines.ingest.vocab.synonyms import map_headers
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import load_reference
from pipelines.quality.runner import validate
from pipelines.seeds import read_seeds
from tests.ingest import official_files as f
from tests.ingest.conftest import SEEDS

NET, EDU, ELEC, BBND = (
    "itu_internet_users_pct",
    "wb_gov_edu_exp_pct_gdp",
    "wb_electricity_access_pct",
    "wb_fixed_broadband_per100",
)


def _parse(tmp_path: Path, ctx: ParseContext, name: str):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    f.FILES[name](path)
    parsed = parse_file(path, "official", ctx, name)
    (table,) = parsed.tables
    landed = {(t["iso3"], t["year"], t["indicator"], t["value"]) for t in table.rows.iter_rows(named=True)}
    rejected = dict(zip(table.rejects["_row_number"], table.rejects["reason_code"], strict=True))
    # Reconciliation: every data row read either landed (some value) or is quarantined, never both
    # counted, never lost.
    landed_rows = set(table.rows["_row_number"]) - set(rejected)
    assert parsed.rows_read == len(landed_rows) + len(rejected), (parsed.rows_read, landed_rows, rejected)
    return parsed, landed, rejected, table


def test_world_bank_api_csv(tmp_path: Path, ctx: ParseContext) -> None:
    parsed, landed, rejected, table = _parse(
        tmp_path, ctx, "official/API_IT.NET.USER.ZS_DS2_en_csv_v2_1234.csv"
    )
    assert parsed.detected_format == "worldbank-wide-csv"
    # AFG 1998-2001: only 2000 and 2001 are in the reference period; EGY 2022-2024 all three.
    assert landed == {
        ("AFG", 2000, NET, 1.1),
        ("AFG", 2001, NET, 1.9),
        ("EGY", 2022, NET, 72.7),
        ("EGY", 2023, NET, 72.2),
        ("EGY", 2024, NET, 73.5),
    }
    # Lines 1-4 are metadata, 5 the header: Aruba, AFE and World are rows 6, 7 and 11.
    assert rejected == {6: r.NOT_MEMBER_STATE, 7: r.NOT_MEMBER_STATE, 11: r.NOT_MEMBER_STATE}
    # Jordan (row 10) has a 1995 value only: history, no row in scope, noted, not quarantined.
    assert parsed.rows_read == 5
    assert any("40 year column(s) 1960-1999 outside the reference period" in n for n in parsed.notes)
    assert any("rows 10" in n for n in parsed.notes)
    assert table.rows["source"].unique().to_list() == ["World Bank"]


@pytest.mark.parametrize(
    "name", ["official/Education_Statistics_Data.csv", "official/Education_Statistics_Data.xlsx"]
)
def test_databank_code_columns_win_over_name_columns(tmp_path: Path, ctx: ParseContext, name: str) -> None:
    parsed, landed, rejected, table = _parse(tmp_path, ctx, name)
    assert parsed.detected_format.startswith("worldbank-wide-")
    assert landed == {
        # "People's Rep. of Bangladesh" resolves through its code column.
        ("BGD", 2019, EDU, 1.8),
        ("BGD", 2020, EDU, 2.1),
        ("BGD", 2021, EDU, 1.8),
        ("BGD", 2023, EDU, 2.05),
        ("JOR", 2019, EDU, 3.1),
        ("JOR", 2020, EDU, 3.2),
        ("JOR", 2022, EDU, 3.0),
        # The 104.5 % of 2022 is quarantined; the row's other four years land.
        ("JOR", 2019, ELEC, 100.0),
        ("JOR", 2020, ELEC, 100.0),
        ("JOR", 2021, ELEC, 100.0),
        ("JOR", 2023, ELEC, 100.0),
    }
    assert rejected == {4: r.OUT_OF_RANGE, 5: r.UNKNOWN_INDICATOR, 6: r.NOT_MEMBER_STATE}
    message = table.rejects.filter(pl.col("_row_number") == 4)["message"][0]
    assert "column '2022 [YR2022]': '104.5' is outside 0-100 for a percent indicator" in message
    assert parsed.rows_read == 5  # the two footer lines are notes, not data


def test_semicolon_resaved_wdi(tmp_path: Path, ctx: ParseContext) -> None:
    parsed, landed, rejected, _ = _parse(tmp_path, ctx, "official/wdi_resaved_fr.csv")
    assert (parsed.detected_format, parsed.detected_encoding) == ("worldbank-wide-csv-semicolon", "cp1252")
    assert landed == {
        ("EGY", 2021, NET, 72.1),
        ("EGY", 2022, NET, 72.7),
        ("CIV", 2021, NET, 45.4),
        ("CIV", 2023, NET, 38.4),
        ("TUR", 2021, BBND, 21.3),
        ("TUR", 2022, BBND, 22.4),
        ("TUR", 2023, BBND, 23.1),
    }
    assert rejected == {}


def test_row_with_more_fields_than_the_header_is_quarantined_not_shifted(
    tmp_path: Path, ctx: ParseContext
) -> None:
    _, landed, rejected, table = _parse(tmp_path, ctx, "official/wdi_unquoted.csv")
    assert {iso3 for iso3, *_ in landed} == {"JOR", "ALB"}
    assert ("JOR", 2023, NET, 90.5) in landed and ("ALB", 2021, NET, 79.3) in landed
    assert rejected == {3: r.RAGGED_ROW}
    assert "row 3: row has 8 fields, the header has 7" in table.rejects["message"][0]
    assert "Egypt" in table.rejects["original"][0]  # the cells as read, for whoever fixes the file


def test_ragged_row_past_the_sniffed_lines_is_seen(tmp_path: Path, ctx: ParseContext) -> None:
    """The delimiter sniffer reads 200 lines; a wider line after them must not be truncated."""
    lines = [f.UNQUOTED_WDI.splitlines()[0]] + ["Jordan,JOR,x,IT.NET.USER.ZS,1,2,3"] * 300
    lines.append("Egypt, Arab Rep.,EGY,x,IT.NET.USER.ZS,1,2,3")
    path = tmp_path / "official" / "long.csv"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n")
    parsed = parse_file(path, "official", ctx, "official/long.csv")
    rejects = parsed.tables[0].rejects
    assert rejects["reason_code"].to_list()[-1] == r.RAGGED_ROW
    assert rejects["_row_number"].to_list()[-1] == 302
    assert parsed.rows_read == 301


def test_tidy_file_years_and_percent_values(tmp_path: Path, ctx: ParseContext) -> None:
    _, landed, rejected, table = _parse(tmp_path, ctx, "official/tidy_with_history.csv")
    # 104.5 per 100 people is a real value (phones, subscriptions): only shares are capped at 100.
    assert landed == {("JOR", 2021, NET, 80.1), ("JOR", 2022, BBND, 104.5)}
    assert rejected == {2: r.YEAR_OUT_OF_SCOPE, 3: r.OUT_OF_RANGE, 5: r.YEAR_OUT_OF_SCOPE, 6: r.INVALID_DATE}
    by_row = dict(zip(table.rejects["_row_number"], table.rejects["message"], strict=True))
    assert "column 'year': '1999' is outside the reference period 2000-" in by_row[2]
    assert "column 'value': '104.5' is outside 0-100" in by_row[3]
    assert "'20021' is not a year" in by_row[6]


def test_uis_extract_reads_code_columns(tmp_path: Path, ctx: ParseContext) -> None:
    headers = f.UIS_HEADER.strip().split(",")
    cols = map_headers(headers, COLUMNS)
    assert (cols["indicator"], cols["country_code"], cols["year"], cols["value"]) == (
        "EDULIT_IND",
        "LOCATION",
        "TIME",
        "Value",
    )
    parsed, landed, rejected, _ = _parse(tmp_path, ctx, "official/uis_extract.csv")
    assert parsed.detected_encoding == "cp1252"
    assert landed == {("SEN", 2022, EDU, 5.6), ("UGA", 2022, EDU, 2.6)}
    assert rejected == {}


def test_reference_period_follows_the_current_year(tmp_path: Path) -> None:
    ctx = ParseContext.from_seeds(SEEDS, b"k")
    assert ctx.current_year >= 2025
    path = tmp_path / "official" / "edge.csv"
    path.parent.mkdir()
    edge = [FIRST_YEAR - 1, FIRST_YEAR, last_year(ctx.current_year), last_year(ctx.current_year) + 1]
    path.write_text("country,year,indicator,value\n" + "".join(f"JOR,{y},{NET},50\n" for y in edge))
    table = parse_file(path, "official", ctx, "official/edge.csv").tables[0]
    assert sorted(table.rows["year"]) == [FIRST_YEAR, last_year(ctx.current_year)]
    assert table.rejects["reason_code"].to_list() == [r.YEAR_OUT_OF_SCOPE] * 2


def test_landed_files_pass_the_blocking_raw_checks(tmp_path: Path, ctx: ParseContext) -> None:
    """Real DuckDB, real GX: every official file lands, audit reconciles, and the raw suite (whose
    ERROR expectations block publication) passes. The quarantined rows, put into raw by hand, are
    exactly what that suite rejects: parser and checks agree."""
    raw = tmp_path / "raw"
    f.write_all(raw)
    for sample in (SEEDS.parent / "raw" / "official").glob("*.csv"):  # next to the bundled sample
        (raw / "official" / sample.name).write_bytes(sample.read_bytes())
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    summary = ingest_source(con, raw, "official", FileParser(ctx), workers=0)
    assert {o.status for o in summary.files} == {"loaded"}
    mismatched = con.sql(
        "SELECT source_file FROM audit.loads WHERE rows_read <> rows_landed + rows_quarantined"
    ).fetchall()
    assert mismatched == []
    quarantined = dict(
        con.sql(
            "SELECT _source_file, count(DISTINCT (coalesce(_sheet, ''), _row_number)) "
            "FROM quarantine.official_series GROUP BY 1"
        ).fetchall()
    )
    audited = dict(con.sql("SELECT source_file, rows_quarantined FROM audit.loads").fetchall())
    assert {k: v for k, v in audited.items() if v} == quarantined
    ref = load_reference(read_seeds(SEEDS))
    report = validate(con, raw_suite("official_series", ref))
    assert report.passed, report.message()

    # The rows ingest quarantined for a year or a percent value, landed by hand, fail the suite.
    con.execute(
        "INSERT INTO raw.official_series (iso3, year, indicator, value, _source_file, _sha256, "
        "_row_number, _batch_id, _loaded_at) VALUES "
        f"('JOR', 1999, '{NET}', 21.4, 'x.csv', 'x', 2, 'hand', now()), "
        f"('JOR', 2020, '{NET}', 104.5, 'x.csv', 'x', 3, 'hand', now())"
    )
    report = validate(con, raw_suite("official_series", ref))
    failed = {(o.expectation, o.column) for o in report.failures}
    assert failed == {
        ("expect_column_values_to_be_between", "year"),
        ("expect_column_values_to_be_between", "percent_value"),
    }, report.message()
    con.close()

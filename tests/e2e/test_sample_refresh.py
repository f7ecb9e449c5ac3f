"""The whole graph on the bundled sample: what a user of the warehouse cares about."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.ingest.schemas import RAW_TABLES

DIMENSIONS = {
    "overall",
    "infrastructure",
    "digital_skills",
    "curriculum_content",
    "policy_governance",
    "finance_sustainability",
}


@pytest.fixture(scope="module")
def con(sample_refresh):
    ws, report = sample_refresh
    assert report.success, report.render()
    with duckdb.connect(str(ws.warehouse), read_only=True) as connection:
        yield connection


def test_refresh_reports_every_stage_ok(sample_refresh):
    _, report = sample_refresh
    assert report.stages == {
        "setup": "ok",
        "ingest": "ok",
        "dbt build": "ok",
        "checks": report.stages["checks"],
        "publish": "ok",
        "exports": "ok",
    }
    assert report.version is not None
    assert report.files["new"] > 100


def test_57_member_states(con):
    assert con.execute("select count(*) from marts.countries").fetchone()[0] == 57


def test_every_country_round_dimension_is_present_with_a_score_or_a_reason(con):
    rounds = [r for (r,) in con.execute("select distinct round from marts.gap_indices order by 1").fetchall()]
    assert rounds == [2023, 2024, 2025]
    rows = con.execute(
        "select dimension, count(*), count(distinct iso3),"
        " count(*) filter (where score is null and missing_reason is null)"
        " from marts.gap_indices group by 1"
    ).fetchall()
    assert {r[0] for r in rows} == DIMENSIONS
    for dimension, n, countries, unexplained in rows:
        assert countries == 57, dimension
        assert n == 57 * len(rounds), dimension
        assert unexplained == 0, dimension


def test_scores_and_gaps_are_consistent(con):
    bad = con.execute(
        "select count(*) from marts.gap_indices where score is not null"
        " and (score < 0 or score > 100 or abs(gap - (100 - score)) > 1e-9)"
    ).fetchone()[0]
    assert bad == 0


def test_azerbaijan_2025_has_79_institutions_and_40000_students(con):
    totals = dict(
        con.execute(
            "select measure, value from intermediate.int_institution_counts_totalled"
            " where iso3 = 'AZE' and round = 2025"
        ).fetchall()
    )
    assert totals["institutions"] == 79
    assert totals["students"] > 40_000
    # the same figure straight from the current raw rows of the ministry workbook
    raw = con.execute(
        "select sum(value) from staging.stg_raw__institution_counts"
        " where iso3 = 'AZE' and round = 2025 and measure = 'institutions'"
    ).fetchone()[0]
    assert raw == 79


def test_every_file_reconciles_read_with_landed_plus_quarantined(con):
    mismatched = con.execute(
        "select source_file from audit.loads where status = 'loaded'"
        " and rows_read <> rows_landed + rows_quarantined"
    ).fetchall()
    assert mismatched == []


def test_raw_rows_reconcile_with_the_sample_csv_files(con, sample_refresh):
    """Every data line of every equipment CSV is in raw.equipment_inventory or in quarantine."""
    ws, _ = sample_refresh
    files = sorted((ws.raw / "inventory").rglob("*equipment*.csv"))
    assert files, "the sample has equipment CSV files"
    for path in files[:10]:
        display = path.relative_to(ws.raw).as_posix()
        lines = pl.read_csv(path, infer_schema=False, separator=_separator(path)).height
        landed, quarantined = con.execute(
            "select (select count(*) from raw.equipment_inventory where _source_file = $f),"
            " (select count(*) from quarantine.equipment_inventory where _source_file = $f)",
            {"f": display},
        ).fetchone()
        assert landed + quarantined == lines, display


def _separator(path) -> str:
    head = path.read_bytes()[:2000].decode("utf-8", errors="replace")
    return ";" if head.count(";") > head.count(",") else ","


def test_every_raw_table_exists(con):
    for table in RAW_TABLES:
        con.execute(f"select count(*) from raw.{table}")


def test_every_mart_is_labelled_synthetic(con):
    for mart in ("countries", "indicators", "indicator_values", "scores", "gap_indices", "benchmarks"):
        unlabeled = con.execute(f"select count(*) from marts.{mart} where data_label is null").fetchone()[0]
        assert unlabeled == 0, mart


def test_audit_versions_records_the_published_version(con, sample_refresh):
    _, report = sample_refresh
    version, files, counts = con.execute(
        "select version_id, json_array_length(input_files), row_counts from audit.versions"
    ).fetchone()
    assert version == report.version
    assert files > 100
    assert '"marts.gap_indices"' in counts


def test_the_data_catalogue_documents_every_public_mart(sample_refresh):
    """The dbt docs site is built at every refresh and ships with the version's exports."""
    ws, report = sample_refresh
    page = (ws.exports / report.version / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert "<html" in page.lower()
    for mart in ("gap_indices", "scores", "benchmarks", "rank_intervals", "indicator_values"):
        assert f"model.vetdx.{mart}" in page, mart


def test_sample_marts_are_unchanged(sample_refresh):
    """Every public mart of the sample build, row for row, as before the performance work of issue 17
    (tests/e2e/marts_snapshot.py says how the committed copy was taken and when to retake it)."""
    from marts_snapshot import differences

    ws, report = sample_refresh
    assert report.success, report.render()
    changed = differences(ws.warehouse, Path(__file__).parents[1] / "fixtures" / "sample_marts")
    assert not changed, "\n".join(changed)

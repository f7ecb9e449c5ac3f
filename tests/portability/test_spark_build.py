"""The proof: the sample build's inputs, exported to Parquet, built by dbt on Spark local mode, give
every mart DuckDB gave (row counts, keys, every value within 1e-9)."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from pipelines.portability import run

pytestmark = [pytest.mark.slow, pytest.mark.portability]  # scripts/portability, after the default run


@pytest.fixture(scope="module")
def spark_report(sample_refresh, tmp_path_factory):
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java 17 runtime: run scripts/system-packages.sh")
    ws, refresh = sample_refresh
    assert refresh.success
    workdir = tmp_path_factory.mktemp("portability")
    report = run.run_portability(ws.warehouse, workdir, engine="spark")
    run.write_json(report, workdir / "portability.json")
    return ws, workdir, report


def test_dbt_builds_every_model_and_passes_every_test_on_spark(spark_report):
    _, _, report = spark_report
    assert report.dbt["failures"] == []
    assert report.dbt["success"]
    # every SQL model was built (the python ones are the command's, on Spark), and the data and
    # unit tests ran and passed (seeds are not loaded: the reference tables are the exported ones)
    sql_models = sorted(p.stem for p in (run.DBT_PROJECT / "models").rglob("*.sql"))
    assert report.dbt["models_built"] == sql_models
    assert report.dbt["results"].get("pass", 0) >= 40
    assert set(report.dbt["results"]) == {"success", "pass"}


def test_every_public_mart_is_identical_to_duckdbs(spark_report):
    ws, _, report = spark_report
    by_name = {m.mart: m for m in report.marts}
    assert set(by_name) == set(run.MARTS)
    with duckdb.connect(str(ws.warehouse), read_only=True) as con:
        for mart, comparison in by_name.items():
            rows = con.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
            columns = len(con.execute(f'describe marts."{mart}"').fetchall())
            assert rows > 0, mart
            assert (comparison.rows_reference, comparison.rows_candidate) == (rows, rows), mart
            assert comparison.keys_only_in_reference == comparison.keys_only_in_candidate == 0, mart
            assert comparison.columns_compared == columns - len(run.MARTS[mart]), mart
            assert comparison.differences == [], (mart, comparison.differences[:3])
            assert comparison.max_abs_difference <= 1e-9 * 100, mart  # scores are 0-100 points
            assert comparison.identical, mart
    assert report.success


def test_the_inputs_went_through_parquet_row_for_row(spark_report):
    ws, workdir, report = spark_report
    with duckdb.connect(str(ws.warehouse), read_only=True) as con:
        raw = dict(
            con.execute(
                "select table_name, estimated_size from duckdb_tables() where schema_name = 'raw'"
            ).fetchall()
        )
        for table in raw:
            expected = con.execute(f'select count(*) from raw."{table}"').fetchone()[0]
            assert report.exported[f"raw.{table}"] == expected
            assert (workdir / "parquet" / "raw" / f"{table}.parquet").exists()
    assert {"audit.loads", "reference.countries", "reference.indicator_catalogue"} <= set(report.exported)


def test_the_comparison_is_written_as_json_and_printed_as_a_table(spark_report):
    _, workdir, report = spark_report
    written = json.loads((workdir / "portability.json").read_text())
    assert written["success"] is True and written["engine"] == "spark" and written["tolerance"] == 1e-9
    assert [m["mart"] for m in written["marts"]] == list(run.MARTS)
    assert all(m["identical"] for m in written["marts"])
    table = run.render_table(report).splitlines()
    assert len(table) == 1 + len(run.MARTS)
    assert all(line.endswith("identical") for line in table[1:])

"""`vetdx sql` stays light and quick; the DuckDB command line of the pinned version is installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.analyst import bench

HEAVY = ("dagster", "dbt", "polars", "great_expectations", "pandas", "matplotlib")
PROBE = (
    "import sys\n"
    "from pipelines.cli import main\n"
    "code = main(['sql', 'select count(*) from marts.countries', '--warehouse', sys.argv[1]])\n"
    f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    "sys.exit(code)\n"
)


def test_vetdx_sql_imports_no_heavy_module(store):
    done = subprocess.run([sys.executable, "-c", PROBE, str(store.published)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_duckdb_cli_opens_the_published_file_read_only(store):
    cli = Path(sys.executable).with_name("duckdb")
    version = subprocess.run([str(cli), "-version"], capture_output=True, text=True, check=True)
    assert version.stdout.split()[0] == f"v{duckdb.__version__}"
    before = store.hashes()
    done = subprocess.run(
        [str(cli), "-readonly", "-csv", str(store.published), "-c", "select count(*) n from marts.countries"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.split() == ["n", "3"]
    refused = subprocess.run(
        [str(cli), "-readonly", str(store.published), "-c", "update marts.scores set score = 0"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert "read-only" in refused.stderr
    assert store.hashes() == before


def test_overhead_benchmark_times_both_commands(store):
    figures = bench.sql_overhead(store.published, runs=2)
    assert figures["vetdx_sql_wall_s"] > 0 and figures["duckdb_wall_s"] > 0
    assert figures["ratio_wall"] > 0 and figures["ratio_cpu"] > 0

"""How a refresh runs dbt: the lean resource's dbt version is the executable's, and the unit tests
a refresh leaves out still run, and pass, in this suite's builds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from pipelines.defs.assets.dbt import build_args
from pipelines.defs.dbt_project import VetdxDbtCliResource, vetdx_dbt_project

DBT = str(Path(sys.executable).with_name("dbt"))


def test_the_version_without_running_dbt_is_the_executables():
    """dagster-dbt asks `dbt --version`, which also looks the latest release up on PyPI (12-16 s
    wall here, 2.5 s of it CPU); the executable's own interpreter answers the same question."""
    resource = VetdxDbtCliResource(project_dir=vetdx_dbt_project, dbt_executable=DBT)
    interpreter = Path(DBT).read_text().splitlines()[0].removeprefix("#!").strip()
    shown = subprocess.run(
        [interpreter, "-c", "from dbt.version import __version__; print(__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", shown), shown
    assert str(resource._cli_version) == shown
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_a_refresh_builds_everything_but_the_unit_tests():
    args = build_args({"warehouse_path": "w.duckdb"})
    assert args[0] == "build"
    assert args[args.index("--exclude-resource-type") + 1] == "unit_test"
    assert json.loads(args[args.index("--vars") + 1]) == {"warehouse_path": "w.duckdb"}
    assert "--select" not in args and "--exclude" not in args  # Dagster's selection stays whole


def test_the_unit_tests_a_refresh_leaves_out_pass_in_the_suites_builds(default_build):
    manifest = json.loads((default_build.warehouse.parent / "target" / "manifest.json").read_text())
    unit_tests = set(manifest["unit_tests"])
    assert len(unit_tests) >= 4
    ran = {r.node.unique_id: str(r.status) for r in default_build.results if r.node.unique_id in unit_tests}
    assert set(ran) == unit_tests
    assert set(ran.values()) == {"pass"}

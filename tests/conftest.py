"""Shared fixtures: a real refresh of the bundled sample into a throw-away warehouse."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines import settings as cfg

REPO = cfg.REPO_ROOT

# Tests that share one costly refresh run on one xdist worker, so the refresh runs once. (xdist's own
# `--dist loadgroup` stopped grouping with pytest 9.2: pytest-dev/pytest-xdist#1386.) A node id
# matching a prefix joins that group; every other test is scheduled on its own.
WORKER_GROUPS: dict[str, tuple[str, ...]] = {
    "sample": ("tests/e2e/test_sample_refresh.py", "tests/exports/test_export_set.py",
               "tests/exports/test_report_writers.py", "tests/exports/test_parallel_reuse.py",
               "tests/test_example_queries.py",
               "tests/portability/test_spark_build.py", "tests/portability/test_duckdb_unchanged.py",
               "tests/e2e/test_run_life_cycle.py::test_cli_refresh_is_a_successful_run",
               "tests/e2e/test_run_life_cycle.py::test_a_finished_run_leaves"),
    # One published slice; the kills and the recovery refresh after them all use it.
    "safety": ("tests/e2e/test_publish_safety.py::",),
}  # fmt: skip


def worker_group(nodeid: str) -> str:
    for group, prefixes in WORKER_GROUPS.items():
        if nodeid.startswith(prefixes):
            return group
    return nodeid


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class GroupedScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return GroupedScheduling(config, log)


@dataclass
class Workspace:
    root: Path
    raw: Path
    warehouse: Path
    exports: Path

    def env(self) -> dict[str, str]:
        return {
            cfg.ENV_RAW_DIR: str(self.raw),
            cfg.ENV_WAREHOUSE: str(self.warehouse),
            cfg.ENV_EXPORTS_DIR: str(self.exports),
            cfg.ENV_SEEDS_DIR: str(cfg.DEFAULT_SEEDS_DIR),
            cfg.ENV_DAGSTER_HOME: str(self.dagster_home),
        }

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    def settings(self, **overrides: object) -> cfg.Settings:
        """What the CLI would resolve with this workspace's environment (no process state touched)."""
        return cfg.Settings.resolve(self.env(), **overrides)


def make_workspace(root: Path, raw_source: Path | None = None) -> Workspace:
    raw = root / "raw"
    if raw_source is not None:
        shutil.copytree(raw_source, raw)
    else:
        raw.mkdir(parents=True)
    return Workspace(root, raw, root / "warehouse" / "vetdx.duckdb", root / "exports")


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    from pipelines.cli import prepare_dbt

    return prepare_dbt()


@pytest.fixture(scope="session")
def sample_refresh(tmp_path_factory, dbt_manifest) -> Iterator[tuple[Workspace, object]]:
    """One full refresh of the committed sample data, shared by the end-to-end tests."""
    from pipelines.refresh import run_refresh

    ws = make_workspace(tmp_path_factory.mktemp("sample"), REPO / "data" / "raw")
    report = run_refresh(ws.settings(), quiet=True)
    yield ws, report

"""Shared fixtures: a real refresh of the bundled sample into a throw-away warehouse."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines import settings as cfg

REPO = cfg.REPO_ROOT


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
        }


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
    with pytest.MonkeyPatch.context() as mp:
        for key, value in ws.env().items():
            mp.setenv(key, value)
        report = run_refresh(cfg.Settings.from_env(), quiet=True)
        yield ws, report

"""The dispatch refactor left the DuckDB build as it was: the dbt project as it stood before it (the
commit below, from git), built over the same raw rows, gives the marts the current project gave,
cell for cell.

Not byte for byte: two builds of the *same* project already differ in the last bits of ~300 doubles
(DuckDB's parallel aggregates add in a varying order; measured with the pre-refactor project built
twice, max difference 1.4e-13). So the rule is the portability comparison's: keys, row counts, text,
integers, booleans and lists equal, doubles within 1e-9 relative. One intended change: ranks are
now taken on scores rounded to 1e-9 points, so units whose scores differ only in those last bits tie
(the old build broke such ties by noise: 70.00000000000001 ranked above 70.0); a rank may differ
only there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from pipelines import settings as cfg
from pipelines.portability import compare, run

pytestmark = [pytest.mark.slow, pytest.mark.portability]  # scripts/portability, after the default run

BEFORE_DISPATCH = "41e50aa2742a15b1826ffcc3a3bf0e5744bc7017"


def project_at(commit: str, into: Path) -> Path | None:
    """dbt_project/ and data/seeds/ as they were at `commit`, or None when git does not have it."""
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "dbt_project", "data/seeds"],
            cwd=cfg.REPO_ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "dbt_project"


def test_the_marts_match_the_pre_dispatch_project(sample_refresh, tmp_path):
    ws, refresh = sample_refresh
    assert refresh.success
    project = project_at(BEFORE_DISPATCH, tmp_path / "before")
    if project is None:
        pytest.skip(f"git history without {BEFORE_DISPATCH[:7]} (shallow clone): nothing to compare with")
    warehouse = tmp_path / "before.duckdb"
    shutil.copy(ws.warehouse, warehouse)
    dbt_vars = {
        "warehouse_path": str(warehouse),
        "seeds_dir": "../data/seeds",
        "data_label": run.data_label_of(run.read_duckdb_marts(ws.warehouse)),
    }
    dbt = Path(sys.executable).parent / "dbt"
    built = subprocess.run(
        [str(dbt), "build", "--vars", json.dumps(dbt_vars), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs"), "--project-dir", ".", "--profiles-dir", "."],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(cfg.REPO_ROOT)},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:]
    before, after = run.read_duckdb_marts(warehouse), run.read_duckdb_marts(ws.warehouse)
    for mart, key in run.MARTS.items():
        result = compare.compare_mart(mart, key, before[mart], after[mart])
        assert result.rows_reference == result.rows_candidate > 0, mart
        assert result.keys_only_in_reference == result.keys_only_in_candidate == 0, mart
        assert list(before[mart].dtypes.astype(str)) == list(after[mart].dtypes.astype(str)), mart
        assert {d.column for d in result.differences} <= set(RANKS), (mart, result.differences[:3])
        if result.differences:
            node = "node" if "node" in key else "dimension"
            paired = before[mart].merge(after[mart], on=list(key), suffixes=("", "_after"))
            for column in {d.column for d in result.differences}:
                moved = paired[paired[column].fillna(-1) != paired[f"{column}_after"].fillna(-1)]
                assert len(moved) > 0
                for row in moved.itertuples(index=False):
                    row_key = {k: getattr(row, k) for k in key}
                    assert at_a_near_tie(before[mart], row_key, node), (mart, column, row_key)
        assert not result.columns_only_in_reference and not result.columns_only_in_candidate, mart


RANKS = ("rank", "rank_in_oic_group", "rank_in_income_group")


def at_a_near_tie(mart, row_key: dict, node: str) -> bool:
    """Whether another unit of the same round and node scored within 1e-9 points of this one."""
    same = mart[(mart["round"] == row_key["round"]) & (mart[node] == row_key[node])]
    score = same.loc[same["iso3"] == row_key["iso3"], "score"].iloc[0]
    others = same.loc[same["iso3"] != row_key["iso3"], "score"].dropna()
    return bool(((others - score).abs() < 1e-9).any())

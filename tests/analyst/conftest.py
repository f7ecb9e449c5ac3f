"""A small published warehouse in the layout `vetdx refresh` leaves (see pipelines/publish/store.py):

    warehouse/vetdx.duckdb             hard link to the current version
    warehouse/CURRENT                  its id
    warehouse/versions/<id>.duckdb     two kept versions, with <id>.json metadata

The marts hold hand-made values so each test knows the answer: three countries, two rounds; in the
newer version Guyana scores 77.64 in 2025 (rank 1), Kuwait 71.24 (rank 2), Bahrain has no score.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

OLD, NEW = "20260101T000000Z-aaaaaaaa", "20260201T000000Z-bbbbbbbb"
LABEL = "SYNTHETIC SAMPLE DATA - not official statistics"


@dataclass(frozen=True)
class Store:
    root: Path

    @property
    def published(self) -> Path:
        return self.root / "vetdx.duckdb"

    def version(self, version_id: str) -> Path:
        return self.root / "versions" / f"{version_id}.duckdb"

    def hashes(self) -> dict[str, str]:
        """sha256 of every file in the store folder, by path relative to it."""
        return {
            str(p.relative_to(self.root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
        }


def _build(path: Path, guyana_2025: float) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.countries as select * from (values "
            "('GUY', 'Guyana', 'Asian', ?), ('KWT', 'Kuwait', 'Arab', ?), ('BHR', 'Bahrain', 'Arab', ?)) "
            "t(iso3, name_en, oic_group, data_label)",
            [LABEL, LABEL, LABEL],
        )
        con.execute(
            "create table marts.gap_indices as select * from (values "
            "('GUY', 2025, 'overall', ?, 100 - ?, 1, 0.8, ?), "
            "('KWT', 2025, 'overall', 71.24, 28.76, 2, 1.0, ?), "
            "('BHR', 2025, 'overall', null, null, null, 0.2, ?), "
            "('GUY', 2024, 'overall', 60.0, 40.0, 2, 0.8, ?), "
            "('KWT', 2024, 'overall', 65.0, 35.0, 1, 1.0, ?)) "
            "t(iso3, round, dimension, score, gap, rank, coverage, data_label)",
            [guyana_2025, guyana_2025, LABEL, LABEL, LABEL, LABEL, LABEL],
        )
        con.execute(
            "create table marts.rank_intervals as select * from (values "
            "('GUY', 2025, 'overall', 1.0, 1.0), ('KWT', 2025, 'overall', 1.0, 2.0)) "
            "t(iso3, round, dimension, rank_p05, rank_p95)"
        )
        con.execute(
            "create table marts.scores as select iso3, round, dimension as node, score from marts.gap_indices"
        )
        con.execute("checkpoint")


@pytest.fixture(scope="session")
def built_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two version files and their metadata, built once per session; `store` copies them."""
    folder = tmp_path_factory.mktemp("versions")
    for version_id, guyana in ((OLD, 70.0), (NEW, 77.64)):
        path = folder / f"{version_id}.duckdb"
        _build(path, guyana)
        meta = {"version_id": version_id, "run_id": version_id[-8:], "published_at": version_id[:15]}
        meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        path.with_suffix(".json").write_text(json.dumps(meta))
    return folder


@pytest.fixture
def store(tmp_path: Path, built_versions: Path) -> Store:
    root = tmp_path / "warehouse"
    shutil.copytree(built_versions, root / "versions")
    s = Store(root)
    os.link(s.version(NEW), s.published)
    (root / "CURRENT").write_text(NEW + "\n")
    return s


@pytest.fixture
def env(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """VETDX_* variables pointing at the store; the analyst export folder it returns."""
    monkeypatch.setenv("VETDX_WAREHOUSE", str(store.published))
    monkeypatch.setenv("VETDX_EXPORTS_DIR", str(tmp_path / "exports"))
    monkeypatch.delenv("VETDX_SQL_EXPORT_DIR", raising=False)
    return tmp_path / "exports" / "sql"

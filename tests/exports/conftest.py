"""The export sets checked by the tests of this folder, in English, French and Arabic.

By default they are the sets of the sample refresh (English by the refresh, French and Arabic by
`vetdx export`, as a user runs it). With `VETDX_TEST_WAREHOUSE=<published vetdx.duckdb>` the tests
check the exports of that published file instead, copied to a temporary folder (never written to):
the way to test the exports of a real published version, or while a full refresh cannot run.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main as vetdx
from pipelines.exports.build import export_languages, export_version
from pipelines.quality.docs import render_data_docs

ENV_TEST_WAREHOUSE = "VETDX_TEST_WAREHOUSE"


@dataclass(frozen=True)
class PublishedSets:
    warehouse: Path
    version: str
    folder: Path  # exports/<version>; French and Arabic in fr/ and ar/
    quality_index: Path  # index.html of the quality report of the run that published it
    env: dict[str, str] | None  # VETDX_* of the refresh's workspace (None: a copied file)


def _copied(source: Path, root: Path) -> PublishedSets:
    warehouse = root / "warehouse" / "vetdx.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copyfile(source, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        version, run_id = con.execute(
            "select version_id, run_id from audit.versions order by published_at desc limit 1"
        ).fetchone()
    folder = root / "exports" / version
    export_version(warehouse, folder, version=version, lang="en")
    quality = source.parent / "quality" / run_id  # the validation reports kept beside the warehouse
    copy = root / "quality" / run_id
    shutil.copytree(quality, copy, ignore=shutil.ignore_patterns("data_docs"))
    return PublishedSets(warehouse, version, folder, render_data_docs(copy), None)


@pytest.fixture(scope="module")
def published_sets(request, tmp_path_factory) -> PublishedSets:
    source = os.environ.get(ENV_TEST_WAREHOUSE)
    if source:
        return _copied(Path(source), tmp_path_factory.mktemp("published"))
    ws, report = request.getfixturevalue("sample_refresh")
    assert report.success, report.render()
    return PublishedSets(
        ws.warehouse, report.version, ws.exports / report.version, Path(report.data_docs), ws.env()
    )


@pytest.fixture(scope="module")
def published(published_sets):
    """(warehouse, version, English set folder)."""
    return published_sets.warehouse, published_sets.version, published_sets.folder


@pytest.fixture(scope="module")
def con(published_sets):
    with duckdb.connect(str(published_sets.warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def latest_round(con) -> int:
    return con.execute(
        "select max(round) from marts.gap_indices where dimension = 'overall' and score is not null"
    ).fetchone()[0]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def other_languages(published_sets, monkeypatch_module):
    """The French and Arabic sets (written once per module; a set already there is reused)."""
    folder = published_sets.folder
    for key, value in (published_sets.env or {}).items():
        monkeypatch_module.setenv(key, value)
    missing = [lang for lang in ("fr", "ar") if not (folder / lang / "manifest.json").exists()]
    if missing and published_sets.env is None:
        export_languages(published_sets.warehouse, folder, version=published_sets.version, langs=missing)
    elif missing:  # both at once: the command writes them side by side, one process each
        assert vetdx(["export", "--lang", ",".join(missing)]) == 0
    return {"fr": folder / "fr", "ar": folder / "ar"}


@pytest.fixture(scope="module")
def quality_index(published_sets) -> Path:
    return published_sets.quality_index

"""The in-process data catalogue is dbt's own: the same `catalog.json` content as `dbt docs generate`
on the same build, inlined in dbt's docs page with the build's manifest; written whole or not at all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from vetdx_dbt_harness import run_dbt

from pipelines.defs.dbt_catalogue import (
    CATALOG_MARK,
    MANIFEST_MARK,
    PAGE_NAME,
    catalog_artifact,
    catalog_rows,
    docs_page_template,
    write_catalogue,
)

REPO = Path(__file__).resolve().parents[2]


def _inlined(page: str) -> tuple[dict, dict]:
    """The manifest and catalogue a static docs page carries, read back out of the page."""
    template = docs_page_template()
    before_manifest, rest = template.split(MANIFEST_MARK)
    between, after_catalog = rest.split(CATALOG_MARK)
    assert page.startswith(before_manifest) and page.endswith(after_catalog)
    middle = page[len(before_manifest) : len(page) - len(after_catalog)]
    manifest_text, catalog_text = middle.split(between)
    return json.loads(manifest_text), json.loads(catalog_text)


@pytest.fixture(scope="module")
def dbt_catalog(default_build, tmp_path_factory) -> dict:
    """`dbt docs generate`'s own catalogue of the default build (a second dbt run, as refreshes did)."""
    work = tmp_path_factory.mktemp("docs")
    seeds = default_build.warehouse.parent / "seeds"
    run = run_dbt(
        ["docs", "generate", "--no-compile"],
        work,
        default_build.warehouse,
        seeds,
        {"data_label": "SYNTHETIC SAMPLE DATA - not official statistics"},
    )
    assert run.success, run.log[-4000:]
    return json.loads((work / "target" / "catalog.json").read_text())


def test_the_catalogue_is_the_one_dbt_docs_generate_writes(default_build, dbt_catalog):
    manifest = json.loads((default_build.warehouse.parent / "target" / "manifest.json").read_text())
    with duckdb.connect(str(default_build.warehouse), read_only=True) as con:
        # the harness's file is warehouse.duckdb: the catalogue name comes from the manifest
        rows = catalog_rows(con, "warehouse")
    ours = catalog_artifact(manifest, rows, datetime.now(UTC))
    assert ours["nodes"] == dbt_catalog["nodes"]
    assert ours["sources"] == dbt_catalog["sources"]
    assert ours["errors"] is None and dbt_catalog["errors"] is None
    # what a reader of the catalogue sees: every mart with its contract's columns, in order
    gap = ours["nodes"]["model.vetdx.gap_indices"]
    assert gap["metadata"]["schema"] == "marts" and gap["metadata"]["type"] == "BASE TABLE"
    assert list(gap["columns"])[:3] == ["iso3", "round", "dimension"]
    assert ours["nodes"]["model.vetdx.stg_raw__equipment_items"]["metadata"]["type"] == "VIEW"
    assert set(ours["sources"]) >= {"source.vetdx.raw.equipment_inventory", "source.vetdx.audit.loads"}


def test_the_page_inlines_this_builds_manifest_and_catalogue(default_build, tmp_path):
    manifest_path = default_build.warehouse.parent / "target" / "manifest.json"
    page = write_catalogue(default_build.warehouse, manifest_path, tmp_path / "catalogue")
    assert page == tmp_path / "catalogue" / PAGE_NAME
    manifest, catalog = _inlined(page.read_text(encoding="utf-8"))
    assert manifest == json.loads(manifest_path.read_text())
    assert "model.vetdx.scores" in catalog["nodes"]
    assert [p.name for p in page.parent.iterdir()] == [PAGE_NAME]  # no temporary file left


def test_a_build_without_a_manifest_writes_no_page(default_build, tmp_path):
    with pytest.raises(FileNotFoundError):
        write_catalogue(default_build.warehouse, tmp_path / "missing.json", tmp_path / "catalogue")
    assert not (tmp_path / "catalogue" / PAGE_NAME).exists()


_WRITER = """
import sys
from pathlib import Path
from pipelines.defs.dbt_catalogue import write_catalogue
build, manifest, out = map(Path, sys.argv[1:])
print("ready", flush=True)
while True:
    write_catalogue(build, manifest, out)
"""


def test_kill_9_while_writing_leaves_a_whole_page_or_none(default_build, tmp_path):
    """A writer rewriting the page in a loop, killed with -9 six times at moments spread over its
    loop: whenever a page is there it is complete (a page written in place would be cut short)."""
    manifest_path = default_build.warehouse.parent / "target" / "manifest.json"
    out = tmp_path / "catalogue"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seen = 0
    for delay in (0.4, 0.47, 0.53, 0.61, 0.77, 1.5):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(default_build.warehouse), str(manifest_path), str(out)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        page = out / PAGE_NAME
        if page.exists():
            seen += 1
            manifest, catalog = _inlined(page.read_text(encoding="utf-8"))
            assert "model.vetdx.gap_indices" in catalog["nodes"] and manifest["nodes"]
    assert seen, "the writer never finished a page within 1.5 s"

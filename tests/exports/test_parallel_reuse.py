"""Export sets drawn by several processes, and files reused from the previous version's set.

A version B is made from the published version A by changing one country's scores in a copy of the
warehouse (as a refresh after that country's file changed would), with its own `audit.versions` row.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.exports.build import export_version, workbook_name
from pipelines.exports.pdf import summary_name

CHANGED = "AZE"
RUN_FIELDS = ("reused", "run_id")  # what may differ between a reusing and a fresh export of one version


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def two_versions(published, tmp_path_factory) -> tuple[Path, str, Path, str]:
    """(warehouse of A, A, warehouse of B, B): B = A with CHANGED's latest-round scores 1.5 higher.

    Only `marts.scores` changes, so the benchmarks (medians), ranks and set-wide charts stay A's:
    exactly the changed country's radar, page and PDF are drawn from different rows."""
    warehouse, version_a, _ = published
    root = tmp_path_factory.mktemp("versions")
    a, b = root / "a.duckdb", root / "b.duckdb"
    shutil.copyfile(warehouse, a)
    shutil.copyfile(warehouse, b)
    version_b = "99991231T235959Z" + version_a[len("99991231T235959Z") :]  # sorts after A
    with duckdb.connect(str(b)) as con:
        changed = con.execute(
            "UPDATE marts.scores SET score = score + 1.5 WHERE iso3 = ? AND score IS NOT NULL"
            " AND round = (SELECT max(round) FROM marts.gap_indices WHERE score IS NOT NULL)",
            [CHANGED],
        ).fetchone()[0]
        assert changed > 5
        con.execute(
            "INSERT INTO audit.versions SELECT ? AS version_id, * EXCLUDE (version_id) FROM audit.versions"
            " WHERE version_id = ?",
            [version_b, version_a],
        )
    return a, version_a, b, version_b


def test_parallel_export_writes_the_bytes_of_a_serial_one(two_versions, tmp_path):
    a, version_a, _, _ = two_versions
    serial = export_version(a, tmp_path / "serial" / version_a, version=version_a, workers=1)
    parallel = export_version(a, tmp_path / "parallel" / version_a, version=version_a, workers=2)
    files = _files(serial.folder)
    assert len(files) > 200 and files == _files(parallel.folder)
    assert _manifest(serial.folder) == _manifest(parallel.folder)
    assert serial.reused == parallel.reused == 0


def test_next_version_reuses_unchanged_countries_and_equals_a_fresh_export(two_versions, tmp_path):
    a, version_a, b, version_b = two_versions
    exports = tmp_path / "exports"
    first = export_version(a, exports / version_a, version=version_a, workers=2)
    second = export_version(b, exports / version_b, version=version_b, workers=2)
    fresh = export_version(b, tmp_path / "fresh" / version_b, version=version_b, workers=1)

    # The reusing export is the fresh export, file for file and byte for byte.
    assert _files(second.folder) == _files(fresh.folder)
    reused, drawn = _manifest(second.folder), _manifest(fresh.folder)
    assert {k: v for k, v in reused.items() if k not in RUN_FIELDS} == {
        k: v for k, v in drawn.items() if k not in RUN_FIELDS
    }
    assert drawn["reused"] == {"files": 0, "from": []}

    # Every other country's four files came from A's set; the changed country's were drawn again.
    countries = {Path(f["path"]).stem for f in reused["files"] if f["path"].startswith("profiles/")} - {
        "index"
    }
    per_country = 4  # radar PNG and SVG, HTML page, PDF
    charts = sum(1 for f in reused["files"] if f["path"].startswith("charts/") and "/radar/" not in f["path"])
    assert reused["reused"] == {"files": per_country * (len(countries) - 1) + charts, "from": [version_a]}
    old, new = _files(first.folder), _files(second.folder)
    for path in (f"profiles/{CHANGED}.html", f"profiles/{CHANGED}.pdf", f"charts/radar/{CHANGED}.svg"):
        assert old[path] != new[path], path
    assert old["profiles/TUR.pdf"] == new["profiles/TUR.pdf"]
    key_a = {f["path"]: f.get("key") for f in _manifest(first.folder)["files"]}
    key_b = {f["path"]: f.get("key") for f in reused["files"]}
    assert key_b[f"profiles/{CHANGED}.pdf"] != key_a[f"profiles/{CHANGED}.pdf"]
    assert key_b["profiles/TUR.pdf"] == key_a["profiles/TUR.pdf"] is not None
    # What names the version is drawn for B: workbook, summary PDF, index page.
    assert workbook_name(version_b, "en") in new and summary_name(version_b, "en") in new
    assert version_b.encode() in new["profiles/index.html"]
    assert version_a.encode() not in new["profiles/TUR.html"]


def test_a_damaged_earlier_file_is_drawn_again_not_copied(two_versions, tmp_path):
    a, version_a, b, version_b = two_versions
    exports = tmp_path / "exports"
    export_version(a, exports / version_a, version=version_a, workers=1)
    damaged = exports / version_a / "profiles" / "TUR.pdf"
    good = damaged.read_bytes()
    damaged.write_bytes(good[:-10])
    second = export_version(b, exports / version_b, version=version_b, workers=1)
    assert (second.folder / "profiles" / "TUR.pdf").read_bytes() == good
    assert (exports / version_a / "profiles" / "TUR.pdf").read_bytes() == good[:-10]  # earlier set untouched

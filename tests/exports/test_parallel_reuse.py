"""Export sets drawn by several processes, and files reused from the previous version's set.

A version B is made from the published version A by changing one country's scores in a copy of the
warehouse (as a refresh after that country's file changed would), with its own `audit.versions` row.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.exports.build import ExportResult, export_version, workbook_name
from pipelines.exports.pdf import summary_name

RUN_FIELDS = ("reused", "run_id")  # what may differ between a reusing and a fresh export of one version
PER_COUNTRY = 4  # radar PNG and SVG, HTML page, PDF


@dataclass(frozen=True)
class Versions:
    a: Path  # warehouse of version A
    version_a: str
    b: Path  # A with `changed`'s latest-round scores 1.5 higher
    version_b: str
    changed: str
    kept: str  # another scored country
    exports: Path  # exports/ holding A's English set, drawn by two processes
    set_a: ExportResult


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _keys(folder: Path) -> dict[str, str | None]:
    return {f["path"]: f.get("key") for f in _manifest(folder)["files"]}


@pytest.fixture(scope="module")
def versions(published, tmp_path_factory) -> Versions:
    """Only `marts.scores` changes, so the benchmarks (medians), ranks and set-wide charts stay A's:
    exactly the changed country's radar, page and PDF are drawn from different rows."""
    warehouse, version_a, _ = published
    root = tmp_path_factory.mktemp("versions")
    a, b = root / "a.duckdb", root / "b.duckdb"
    shutil.copyfile(warehouse, a)
    shutil.copyfile(warehouse, b)
    version_b = "99991231T235959Z" + version_a[len("99991231T235959Z") :]  # sorts after A
    latest = "(SELECT max(round) FROM marts.gap_indices WHERE dimension = 'overall' AND score IS NOT NULL)"
    with duckdb.connect(str(b)) as con:
        changed, kept = [
            iso3
            for (iso3,) in con.execute(
                f"SELECT iso3 FROM marts.gap_indices WHERE dimension = 'overall' AND round = {latest}"
                " AND score IS NOT NULL ORDER BY iso3 LIMIT 2"
            ).fetchall()
        ]
        updated = con.execute(
            f"UPDATE marts.scores SET score = score + 1.5 WHERE iso3 = ? AND round = {latest}"
            " AND score IS NOT NULL",
            [changed],
        ).fetchone()[0]
        assert updated > 5
        con.execute(
            "INSERT INTO audit.versions SELECT ? AS version_id, * EXCLUDE (version_id) FROM audit.versions"
            " WHERE version_id = ?",
            [version_b, version_a],
        )
    exports = root / "exports"
    set_a = export_version(a, exports / version_a, version=version_a, workers=2)
    return Versions(a, version_a, b, version_b, changed, kept, exports, set_a)


def test_parallel_export_writes_the_bytes_of_a_serial_one(versions, tmp_path):
    serial = export_version(versions.a, tmp_path / versions.version_a, version=versions.version_a, workers=1)
    files = _files(serial.folder)
    assert len(files) > 200 and files == _files(versions.set_a.folder)
    assert _manifest(serial.folder) == _manifest(versions.set_a.folder)
    assert serial.reused == versions.set_a.reused == 0


def test_next_version_reuses_unchanged_countries_and_equals_a_fresh_export(versions, tmp_path):
    v = versions
    second = export_version(v.b, v.exports / v.version_b, version=v.version_b, workers=2)
    fresh = export_version(v.b, tmp_path / v.version_b, version=v.version_b, workers=1)

    # The reusing export is the fresh export, file for file and byte for byte.
    assert _files(second.folder) == _files(fresh.folder)
    reused, drawn = _manifest(second.folder), _manifest(fresh.folder)
    assert {k: x for k, x in reused.items() if k not in RUN_FIELDS} == {
        k: x for k, x in drawn.items() if k not in RUN_FIELDS
    }
    assert drawn["reused"] == {"files": 0, "from": []}

    # Every other country's files and every set-wide chart came from A's set; the changed
    # country's were drawn again from its new rows.
    pages = {Path(p).stem for p in _keys(second.folder) if p.startswith("profiles/") and p.endswith(".html")}
    countries = len(pages - {"index"})
    charts = sum(1 for p in _keys(second.folder) if p.startswith("charts/") and "/radar/" not in p)
    assert second.reused == PER_COUNTRY * (countries - 1) + charts
    assert reused["reused"] == {"files": second.reused, "from": [v.version_a]}
    old, new = _files(v.set_a.folder), _files(second.folder)
    for path in (f"profiles/{v.changed}.html", f"profiles/{v.changed}.pdf"):
        assert old[path] != new[path], path
    for path in (f"profiles/{v.kept}.html", f"profiles/{v.kept}.pdf", f"charts/radar/{v.kept}.png"):
        assert old[path] == new[path], path
    key_a, key_b = _keys(v.set_a.folder), _keys(second.folder)
    assert key_b[f"profiles/{v.changed}.pdf"] != key_a[f"profiles/{v.changed}.pdf"]
    assert key_b[f"profiles/{v.kept}.pdf"] == key_a[f"profiles/{v.kept}.pdf"] is not None
    # What names the version is drawn for B: workbook, summary PDF, index page; no reused page names A.
    assert workbook_name(v.version_b, "en") in new and summary_name(v.version_b, "en") in new
    assert v.version_b.encode() in new["profiles/index.html"]
    assert not [p for p, body in new.items() if v.version_a.encode() in body]


def test_a_damaged_earlier_file_is_drawn_again_not_copied(versions, tmp_path):
    v = versions
    exports = tmp_path / "exports"
    shutil.copytree(v.set_a.folder, exports / v.version_a)
    damaged = exports / v.version_a / "profiles" / f"{v.kept}.pdf"
    good = damaged.read_bytes()
    damaged.write_bytes(good[:-10])
    second = export_version(v.b, exports / v.version_b, version=v.version_b, workers=1)
    assert (second.folder / "profiles" / f"{v.kept}.pdf").read_bytes() == good
    assert second.reused == _count_reusable(second.folder) - 2 * PER_COUNTRY  # changed and damaged
    assert damaged.read_bytes() == good[:-10]  # the earlier set is left as it is


def _count_reusable(folder: Path) -> int:
    return sum(1 for key in _keys(folder).values() if key)

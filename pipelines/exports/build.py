"""Write the export sets of one published version, one per language.

English lands in `exports/<version>/`, French and Arabic in `exports/<version>/fr|ar/`. A set is
written into a staging folder first and then moved into place entry by entry, with the manifest last:
a reader never finds a manifest that lists files of another run, and a re-export leaves no stale files.
Sets of different languages share no file, so `export_languages` writes them side by side.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import uuid
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import i18n
from pipelines.exports import report
from pipelines.exports.chart_set import ChartSet, write_charts
from pipelines.exports.manifest import build_manifest, write_manifest
from pipelines.exports.marts import PublishedData, read_published
from pipelines.exports.pdf import summary_name, write_pdfs
from pipelines.exports.profiles import write_profiles
from pipelines.exports.tables import write_mart_files
from pipelines.exports.workbook import write_workbook

DEFAULT_LANG = "en"


@dataclass
class ExportResult:
    folder: Path
    manifest_path: Path
    files: list[Path] = field(default_factory=list)


def set_folder(version_dir: Path, lang: str) -> Path:
    return version_dir if lang == DEFAULT_LANG else version_dir / lang


def workbook_name(version: str, lang: str) -> str:
    return f"vetdx_{version}_{lang}.xlsx"


def export_version(
    warehouse: Path,
    version_dir: Path,
    *,
    version: str,
    lang: str = DEFAULT_LANG,
    manifest_extra: dict | None = None,
) -> ExportResult:
    i18n.check_lang(lang)
    data = read_published(Path(warehouse), version)
    target = set_folder(Path(version_dir), lang)
    target.mkdir(parents=True, exist_ok=True)
    staging = target / f".staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        files = write_set(staging, data, lang, version)
        manifest = build_manifest(staging, files, data, version, lang, manifest_extra)
        entries = sorted({p.relative_to(staging).parts[0] for p in files})
        for entry in entries:  # move into place; the old entry goes only once the new one is complete
            _replace(staging / entry, target / entry)
        manifest_path = write_manifest(target, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    moved = [target / f["path"] for f in manifest["files"]]
    return ExportResult(folder=target, manifest_path=manifest_path, files=[*moved, manifest_path])


def export_languages(
    warehouse: Path,
    version_dir: Path,
    *,
    version: str,
    langs: Sequence[str],
    manifest_extra: dict | None = None,
    workers: int | None = None,
) -> list[ExportResult]:
    """Every language's set of a version, in `langs` order, one process per language up to
    `workers` (default: one per usable core).

    A set is CPU-bound Python (openpyxl, matplotlib, the PDF pages): one language of the sample
    takes ~9 s, so three side by side on two cores take about two-thirds of the time one after
    the other. Workers are spawned, not forked: this process may hold DuckDB and Polars thread
    pools, and a forked child of those can deadlock. Each set is the same bytes whichever process
    writes it."""
    for lang in langs:
        i18n.check_lang(lang)
    usable = len(os.sched_getaffinity(0)) if workers is None else workers
    count = min(usable, len(langs))
    jobs = [(Path(warehouse), Path(version_dir), version, lang, manifest_extra) for lang in langs]
    if count <= 1:
        return [_export_one(*job) for job in jobs]
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_export_one, *zip(*jobs, strict=True)))


def _export_one(
    warehouse: Path, version_dir: Path, version: str, lang: str, manifest_extra: dict | None
) -> ExportResult:
    return export_version(warehouse, version_dir, version=version, lang=lang, manifest_extra=manifest_extra)


def write_set(folder: Path, data: PublishedData, lang: str, version: str) -> list[Path]:
    name = workbook_name(version, lang)
    profiles = report.country_profiles(data, lang)
    files = [write_workbook(folder / name, data, lang, version, profiles)]
    files += write_mart_files(data.marts, folder / "data")
    files += write_charts(folder / "charts", data, lang, profiles)
    radar = ChartSet(data, lang, profiles).radar_canvas_possible()
    files += write_profiles(
        folder / "profiles", data, lang, version, name, profiles, summary_name(version, lang), radar
    )
    files += write_pdfs(folder, data, lang, version, profiles)
    return files


def _replace(source: Path, destination: Path) -> None:
    if destination.is_dir() and not destination.is_symlink():
        old = destination.with_name(f".old-{destination.name}-{uuid.uuid4().hex[:8]}")
        os.replace(destination, old)
        os.replace(source, destination)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(source, destination)

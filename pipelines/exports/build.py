"""Write the export set of one published version in one language.

English lands in `exports/<version>/`, French and Arabic in `exports/<version>/fr|ar/`. A set is
written into a staging folder first and then moved into place entry by entry, with the manifest last:
a reader never finds a manifest that lists files of another run, and a re-export leaves no stale files.
"""

from __future__ import annotations

import os
import shutil
import uuid
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

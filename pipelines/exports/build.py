"""Write the export sets of one published version, one per language.

English lands in `exports/<version>/`, French and Arabic in `exports/<version>/fr|ar/`. A set is
written into a staging folder first and then moved into place entry by entry, with the manifest last:
a reader never finds a manifest that lists files of another run, and a re-export leaves no stale files.

The work of every language is cut into tasks (the workbook, the set-wide charts, the summary PDF,
chunks of countries: radar, HTML page and PDF of each) run by worker processes, one per usable core.
A country's files and a set-wide chart carry a content key (`keys.py`) in the manifest; when an earlier
export set next to this one (another version's folder, or this folder before a re-export) holds the
same file under the same key and its checksum still matches, the file is copied from there instead
of drawn again. A one-country change then redraws that country's files and the charts it appears in;
the workbook, the data files, the summary PDF and the index page, which name the version or hold
every country, are written every time. Each folder stays complete on its own (copies, not links).
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import shutil
import uuid
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipelines import i18n
from pipelines.exports import report
from pipelines.exports.chart_set import ChartSet, write_radars, write_set_charts
from pipelines.exports.keys import content_key
from pipelines.exports.manifest import MANIFEST_NAME, build_manifest, write_manifest
from pipelines.exports.marts import PublishedData, read_published
from pipelines.exports.pdf import Reports, summary_name, write_profile_pdfs, write_summary_pdf
from pipelines.exports.profiles import write_profile_pages, write_profiles_index
from pipelines.exports.tables import write_mart_files
from pipelines.exports.workbook import write_workbook
from pipelines.hashing import sha256_of

DEFAULT_LANG = "en"
# Seconds per unit of work on this machine (cProfile of one language on a four-country slice), used
# only to hand the longest tasks out first so the workers finish together.
COST = {"country": 0.7, "chart": 0.6, "summary": 4.0, "workbook": 3.0, "tables": 1.0}
CHUNKS_PER_WORKER = 3  # country chunks per worker: small enough to balance, big enough to amortise
PREVIOUS_SETS = 3  # earlier versions' sets searched for reusable files (newest first)


@dataclass
class ExportResult:
    folder: Path
    manifest_path: Path
    files: list[Path] = field(default_factory=list)
    reused: int = 0  # files copied from an earlier set instead of drawn


def set_folder(version_dir: Path, lang: str) -> Path:
    return version_dir if lang == DEFAULT_LANG else version_dir / lang


def workbook_name(version: str, lang: str) -> str:
    return f"vetdx_{version}_{lang}.xlsx"


# --- what one language's set is drawn from -------------------------------------------------------


class SetContext:
    """The report tables, charts and PDFs of one language, computed once per process."""

    def __init__(self, data: PublishedData, lang: str, version: str) -> None:
        self.data, self.lang, self.version = data, lang, version
        self.profiles = report.country_profiles(data, lang)  # the workbook's (6 decimals stored)
        # What the charts, pages and PDFs draw: the figures rounded as `keys.drawn` says.
        self.drawn = {iso3: report.drawn_profile(p) for iso3, p in self.profiles.items()}
        self.charts = ChartSet(data, lang, self.drawn)

    @cached_property
    def reports(self) -> Reports:
        return Reports(self.data, self.lang, self.version, self.drawn, self.charts)

    def country_files(self, iso3: str) -> list[str]:
        files = [f"profiles/{iso3}.html", f"profiles/{iso3}.pdf"]
        if self.charts.radar_canvas_possible():
            files += [f"charts/radar/{iso3}.png", f"charts/radar/{iso3}.svg"]
        return files

    def country_key(self, iso3: str) -> str:
        """Everything a country's radar, page and PDF draw: its profile (scores, ranks, medians,
        strengths, weaknesses, reasons), the node names, the radar's spokes and the data label."""
        charts = self.charts
        spokes = [charts.name(d) for d in charts.spokes]
        return content_key(
            "country", self.lang, iso3, charts.note, self.drawn[iso3], charts.names, spokes,
            charts.radar_canvas_possible(),
        )  # fmt: skip

    def chart_key(self, name: str) -> str:
        return content_key("chart", self.lang, name, self.charts.chart_args(name))


@dataclass(frozen=True)
class Task:
    lang: str
    kind: str  # workbook | tables | summary | charts | countries
    items: tuple[str, ...] = ()

    @property
    def cost(self) -> float:
        if self.kind in ("charts", "countries"):
            return COST["chart" if self.kind == "charts" else "country"] * len(self.items)
        return COST[self.kind]


_STATE: dict = {}


def _init_worker(data: PublishedData, version: str) -> None:
    _STATE.clear()
    _STATE.update(data=data, version=version, contexts={})


def _context(lang: str) -> SetContext:
    contexts = _STATE["contexts"]
    if lang not in contexts:
        contexts[lang] = SetContext(_STATE["data"], lang, _STATE["version"])
    return contexts[lang]


def run_task(task: Task, staging: Path) -> list[str]:
    """Draw one task's files into the language's staging folder; their paths relative to it.

    A file's bytes depend on the task's own inputs only (no state carries over from one country or
    chart to the next), so any split of the work over processes writes the same files."""
    ctx = _context(task.lang)
    data, lang, version = ctx.data, ctx.lang, ctx.version
    radar = ctx.charts.radar_canvas_possible()
    if task.kind == "workbook":
        files = [write_workbook(staging / workbook_name(version, lang), data, lang, version, ctx.profiles)]
    elif task.kind == "tables":
        files = write_mart_files(data.marts, staging / "data")
        files.append(
            write_profiles_index(
                staging / "profiles", data, lang, version, workbook_name(version, lang),
                summary_name(version, lang), radar,
            )
        )  # fmt: skip
    elif task.kind == "summary":
        files = [write_summary_pdf(staging, ctx.reports)]
    elif task.kind == "charts":
        files = write_set_charts(staging / "charts", ctx.charts, task.items)
    elif task.kind == "countries":
        files = write_radars(staging / "charts", ctx.charts, task.items)
        files += write_profile_pages(staging / "profiles", data, lang, ctx.drawn, task.items, radar)
        files += write_profile_pdfs(staging, ctx.reports, task.items)
    else:
        raise ValueError(f"unknown export task {task.kind!r}")
    return [p.relative_to(staging).as_posix() for p in files]


# --- reuse of an earlier set's files ------------------------------------------------------------


def _previous_files(version_dir: Path, lang: str) -> dict[tuple[str, str], tuple[Path, str]]:
    """(path in the set, content key) -> (file, sha256) in this folder's set and the newest earlier
    versions' sets of the same language, as their manifests list them."""
    here = [version_dir] if version_dir.is_dir() else []
    siblings = sorted(
        (p for p in version_dir.parent.iterdir() if p.is_dir() and p.name < version_dir.name),
        reverse=True,
    ) if version_dir.parent.is_dir() else []  # fmt: skip
    found: dict[tuple[str, str], tuple[Path, str]] = {}
    for folder in [*here, *siblings[:PREVIOUS_SETS]]:
        manifest = set_folder(folder, lang) / MANIFEST_NAME
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError):
            continue
        for entry in entries:
            if entry.get("key"):
                found.setdefault(
                    (entry["path"], entry["key"]), (set_folder(folder, lang) / entry["path"], entry["sha256"])
                )
    return found


def _reuse(
    staging: Path, paths: Sequence[str], key: str, previous: dict[tuple[str, str], tuple[Path, str]]
) -> str | None:
    """Copy every file of one output from an earlier set when each is there under `key` with its
    recorded checksum; the earlier set's version, or None (then nothing is left in staging)."""
    sources = [previous.get((path, key)) for path in paths]
    if not all(sources):
        return None
    copied: list[Path] = []
    for path, (source, sha256) in zip(paths, sources, strict=True):
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, target)
        except OSError:
            target.unlink(missing_ok=True)
            sha256 = None
        copied.append(target)
        if sha256 is None or sha256_of(target) != sha256:  # changed or damaged since: draw it again
            for done in copied:
                done.unlink(missing_ok=True)
            return None
    return _version_of(sources[0][0], paths[0])


def _version_of(file: Path, path: str) -> str:
    """The version folder a set's file lies in (`<version>/[lang/]<path>`)."""
    folder = file.parents[len(Path(path).parts) - 1]
    return folder.parent.name if folder.name in i18n.LANGS else folder.name


# --- one language's plan ------------------------------------------------------------------------


@dataclass
class SetPlan:
    lang: str
    target: Path
    staging: Path
    tasks: list[Task]
    keys: dict[str, str]  # path in the set -> content key, for reusable outputs
    reused: dict[str, list[str]]  # earlier version -> paths copied from its set


def _plan(ctx: SetContext, version_dir: Path, workers: int) -> SetPlan:
    target = set_folder(version_dir, ctx.lang)
    target.mkdir(parents=True, exist_ok=True)
    staging = target / f".staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    previous = _previous_files(version_dir, ctx.lang)
    keys: dict[str, str] = {}
    reused: dict[str, list[str]] = {}
    charts: list[str] = []
    countries: list[str] = []
    outputs = [("chart", n, [f"charts/{n}.png", f"charts/{n}.svg"]) for n in ctx.charts.chart_names()]
    outputs += [("country", iso3, ctx.country_files(iso3)) for iso3 in ctx.drawn]
    for kind, item, paths in outputs:
        key = ctx.chart_key(item) if kind == "chart" else ctx.country_key(item)
        keys.update(dict.fromkeys(paths, key))
        source = _reuse(staging, paths, key, previous)
        if source is not None:
            reused.setdefault(source, []).extend(paths)
        else:
            (charts if kind == "chart" else countries).append(item)
    tasks = [Task(ctx.lang, kind) for kind in ("workbook", "tables", "summary")]
    if charts:
        tasks.append(Task(ctx.lang, "charts", tuple(charts)))
    size = max(1, math.ceil(len(countries) / (CHUNKS_PER_WORKER * workers)))
    for start in range(0, len(countries), size):
        tasks.append(Task(ctx.lang, "countries", tuple(countries[start : start + size])))
    return SetPlan(ctx.lang, target, staging, tasks, keys, reused)


def export_version(
    warehouse: Path,
    version_dir: Path,
    *,
    version: str,
    lang: str = DEFAULT_LANG,
    manifest_extra: dict | None = None,
    workers: int | None = None,
) -> ExportResult:
    return export_languages(
        warehouse, version_dir, version=version, langs=[lang], manifest_extra=manifest_extra, workers=workers
    )[0]


def export_languages(
    warehouse: Path,
    version_dir: Path,
    *,
    version: str,
    langs: Sequence[str],
    manifest_extra: dict | None = None,
    workers: int | None = None,
) -> list[ExportResult]:
    """Every language's set of a version, in `langs` order, drawn by up to `workers` processes
    (default: one per usable core; 1 draws everything in this process).

    A set is CPU-bound Python (xlsxwriter, matplotlib text layout, the PDF pages), so the tasks of
    all languages share one pool. Workers are spawned, not forked: this process may hold DuckDB and
    Polars thread pools, and a forked child of those can deadlock. Each file is the same bytes
    whichever process writes it."""
    for lang in langs:
        i18n.check_lang(lang)
    usable = len(os.sched_getaffinity(0)) if workers is None else max(workers, 1)
    data = read_published(Path(warehouse), version)
    version_dir = Path(version_dir)
    _init_worker(data, version)
    plans: list[SetPlan] = []
    try:
        for lang in langs:
            plans.append(_plan(_context(lang), version_dir, usable))
        tasks = sorted(
            ((task, plan.staging) for plan in plans for task in plan.tasks), key=lambda t: -t[0].cost
        )
        count = min(usable, len(tasks))
        if count <= 1:
            written = [run_task(task, staging) for task, staging in tasks]
        else:
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                max_workers=count, mp_context=spawn, initializer=_init_worker, initargs=(data, version)
            ) as pool:
                written = list(pool.map(run_task, *zip(*tasks, strict=True)))
        by_lang: dict[str, list[str]] = {plan.lang: [] for plan in plans}
        for (task, _), paths in zip(tasks, written, strict=True):
            by_lang[task.lang] += paths
        return [_finish(plan, by_lang[plan.lang], data, version, manifest_extra) for plan in plans]
    finally:
        for plan in plans:
            shutil.rmtree(plan.staging, ignore_errors=True)


def _finish(
    plan: SetPlan, drawn: list[str], data: PublishedData, version: str, manifest_extra: dict | None
) -> ExportResult:
    """Manifest of the staged set, then everything moved into place, the manifest last."""
    staging, target = plan.staging, plan.target
    paths = sorted({*drawn, *(p for copied in plan.reused.values() for p in copied)})
    files = [staging / p for p in paths]
    reuse = {"files": sum(map(len, plan.reused.values())), "from": sorted(plan.reused)}
    manifest = build_manifest(staging, files, data, version, plan.lang, manifest_extra, plan.keys, reuse)
    entries = sorted({Path(p).parts[0] for p in paths})
    for entry in entries:  # move into place; the old entry goes only once the new one is complete
        _replace(staging / entry, target / entry)
    manifest_path = write_manifest(target, manifest)
    moved = [target / f["path"] for f in manifest["files"]]
    return ExportResult(target, manifest_path, [*moved, manifest_path], reuse["files"])


def _replace(source: Path, destination: Path) -> None:
    if destination.is_dir() and not destination.is_symlink():
        old = destination.with_name(f".old-{destination.name}-{uuid.uuid4().hex[:8]}")
        os.replace(destination, old)
        os.replace(source, destination)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(source, destination)

"""Dagster resources: where things are (plain fields, set from `Settings` at the edge) and the run's
setup (`RefreshRun`), which every step of a refresh shares.

`RefreshRun.setup_for_execution` runs once per run, before any step, whatever launched the run (the
CLI, the UI, the schedule, the sensor, `dagster job execute`): the job uses the in-process executor,
so resources are initialised once for the whole run and torn down after its last step. That is where
the warehouse lock is taken and held, the build is created, the seeds are composed and read.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field, PrivateAttr

from pipelines.hashing import sha256_text
from pipelines.ingest.context import ParseContext
from pipelines.ingest.privacy.key import KeyRefused, resolve_key
from pipelines.ingest.readers.limits import Limits
from pipelines.publish.locks import FileLock, LockHeld, owner_lock, sweep_orphans
from pipelines.publish.store import VersionStore
from pipelines.quality.reference import Reference, load_reference
from pipelines.seeds import SeedFile, SeedRows, compose_seeds, read_seeds
from pipelines.settings import (
    DBT_PROJECT_DIR,
    DEFAULT_SEEDS_DIR,
    ENV_PII_KEY,
    LocationError,
    Settings,
    check_locations,
    parse_languages,
)

LAUNCHER_TAG = "vetdx/launcher"
# dbt reads a run's seeds from under its project (a path relative to it, see assets/dbt.py).
STAGED_SEEDS_DIR = DBT_PROJECT_DIR / ".seeds"


def staged_seeds_dir(published: Path) -> Path:
    """Where a refresh of this warehouse stages its seeds: one folder per warehouse, not per run, so
    dbt's `seeds_dir` var (and with it dbt's partial parse) stays the same from run to run. Refreshes
    of other warehouses stage beside it; the warehouse lock keeps one run per folder."""
    return STAGED_SEEDS_DIR / sha256_text(str(published.resolve()))[:16]


class RefreshRefused(RuntimeError):
    """A refresh that must not start (a lock held, a bad location, nothing to build): one line."""


class WarehouseResource(dg.ConfigurableResource):
    """The published warehouse and its kept versions (see publish/store.py)."""

    warehouse_path: str
    keep_versions: int = 5

    @property
    def store(self) -> VersionStore:
        return VersionStore(Path(self.warehouse_path))

    @property
    def lock_path(self) -> Path:
        return self.store.root / ".refresh.lock"

    @contextmanager
    def connect_published(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        published = self.store.published
        if not published.exists():
            yield None
            return
        con = duckdb.connect(str(published), read_only=True)
        try:
            yield con
        finally:
            con.close()


class SourceFilesResource(dg.ConfigurableResource):
    """The raw folder countries' files are dropped into, the seeds that describe them, and the key of
    the keyed hash of respondents' identity (an `EnvVar` in deployments, so it never shows)."""

    raw_dir: str
    seeds_dir: str  # user seeds: each file overrides the default of the same name
    pii_key: str = ""  # empty: the key file beside the warehouse (pipelines/ingest/privacy/key.py)
    ingest_workers: int | None = None  # parser processes beside the loader; None: one per core
    # overrides of the size limits' defaults (pipelines/ingest/readers/limits.py), by name
    ingest_limits: dict[str, int] = Field(default_factory=dict)

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir)

    @property
    def user_seeds_path(self) -> Path:
        return Path(self.seeds_dir)


class ExportsResource(dg.ConfigurableResource):
    exports_dir: str
    languages: str = "en"  # comma-separated, e.g. "en,fr,ar"

    @property
    def path(self) -> Path:
        return Path(self.exports_dir)

    @property
    def langs(self) -> tuple[str, ...]:
        return parse_languages(self.languages)


class RefreshRun(dg.ConfigurableResource):
    """One refresh: the lock it holds, the build it writes, the seeds and reference data it reads.

    Set up once per run (see the module docstring); steps read its state, never create it.
    """

    warehouse: WarehouseResource
    source_files: SourceFilesResource
    build_catalogue: bool = True
    revalidate_all: bool = False

    _run_id: str | None = PrivateAttr(default=None)
    _locks: list[FileLock] = PrivateAttr(default_factory=list)
    _build: Path | None = PrivateAttr(default=None)
    _dbt_build: Path | None = PrivateAttr(default=None)
    _seeds_dir: Path | None = PrivateAttr(default=None)
    _seed_files: dict[str, SeedFile] = PrivateAttr(default_factory=dict)
    _seed_rows: Mapping[str, SeedRows] = PrivateAttr(default_factory=dict)
    _parse_context: ParseContext | None = PrivateAttr(default=None)
    _reference: Reference | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run = context.run
        if run is None:  # a resource built outside a run (a sensor, a test of the definitions)
            return
        try:
            self._start(run, context.instance, context.log)
        except BaseException:
            self._finish()
            raise

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self._finish()

    # -- setup ---------------------------------------------------------------------------------

    def _start(self, run: dg.DagsterRun, instance: dg.DagsterInstance | None, log) -> None:
        store = self.warehouse.store
        raw = self.source_files.raw_path
        try:
            check_locations(raw, self.source_files.user_seeds_path, store.published)
        except LocationError as exc:
            raise RefreshRefused(f"{exc}; nothing was published") from None
        lock = FileLock(self.warehouse.lock_path)
        try:
            previous = lock.acquire({"run_id": run.run_id, "launcher": launcher_of(run)})
        except LockHeld as held:
            raise RefreshRefused(
                f"another refresh is writing {store.published}: {held}; this run publishes nothing"
            ) from None
        self._locks.append(lock)
        self._run_id = run.run_id
        if instance is not None:
            _fail_dead_run(instance, previous, run.run_id)
        # With the warehouse lock held no other refresh of this warehouse is alive: every build left
        # here has a free owner lock and is swept. Staged seeds are shared by every warehouse that uses
        # this dbt project, so only folders whose own lock is free go.
        store.sweep_stale_builds()
        sweep_orphans(STAGED_SEEDS_DIR)

        build_folder = store.build_path(run.run_id).parent
        build_lock = owner_lock(build_folder)
        build_lock.acquire({"run_id": run.run_id})
        self._locks.append(build_lock)
        self._build = store.start_build(run.run_id)
        self._dbt_build = store.link_build(run.run_id)

        seeds_dir = staged_seeds_dir(store.published)
        seeds_lock = owner_lock(seeds_dir)
        seeds_lock.acquire({"run_id": run.run_id})
        self._locks.append(seeds_lock)
        self._seeds_dir = seeds_dir / "seeds"
        self._seed_files = compose_seeds(
            DEFAULT_SEEDS_DIR, self.source_files.user_seeds_path, self._seeds_dir
        )
        self._seed_rows = read_seeds(self._seeds_dir)
        try:
            key = resolve_key(self.source_files.pii_key or None, raw, store.published)
        except KeyRefused as exc:
            raise RefreshRefused(f"{exc}; nothing was published") from None
        if key.note and log is not None:
            log.warning(key.note)
        try:
            limits = Limits.with_overrides(self.source_files.ingest_limits)
        except ValueError as exc:
            raise RefreshRefused(str(exc)) from None
        self._parse_context = ParseContext.from_seed_rows(self._seed_rows, key.key, limits)
        self._reference = load_reference(self._seed_rows)

    def _finish(self) -> None:
        """Remove the staged seeds, then release the locks, the warehouse lock last. A build that was
        not published stays for inspection (what did the failed run ingest?) until the next refresh
        of this warehouse sweeps it; a published one has moved to versions/ already."""
        if self._seeds_dir is not None:
            shutil.rmtree(self._seeds_dir.parent, ignore_errors=True)
        if self._dbt_build is not None:
            self.warehouse.store.unlink_build()
        for lock in reversed(self._locks):
            lock.release()
        self._locks.clear()

    # -- what steps read ---------------------------------------------------------------------------

    def _require(self, value):
        if value is None:
            raise RuntimeError("the refresh run is not set up: RefreshRun is used outside a run")
        return value

    @property
    def run_id(self) -> str:
        return self._require(self._run_id)

    @property
    def build(self) -> Path:
        build = self._require(self._build)
        if not build.exists():
            raise RuntimeError(f"the build of run {self.run_id} is gone: {build}")
        return build

    @property
    def dbt_build(self) -> Path:
        """The build under the name dbt is given, the same from run to run (`VersionStore.link_build`)."""
        return self._require(self._dbt_build)

    @property
    def dbt_target(self) -> Path:
        return self.warehouse.store.dbt_target

    @property
    def seeds_dir(self) -> Path:
        return self._require(self._seeds_dir)

    @property
    def seed_files(self) -> dict[str, SeedFile]:
        return self._seed_files

    @property
    def parse_context(self) -> ParseContext:
        return self._require(self._parse_context)

    @property
    def reference(self) -> Reference:
        return self._require(self._reference)

    @contextmanager
    def connect_build(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.build))
        try:
            yield con
        finally:
            con.close()

    def quality_dir(self) -> Path:
        folder = self.warehouse.store.root / "quality" / self.run_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def _fail_dead_run(instance: dg.DagsterInstance, previous_holder: dict, run_id: str) -> None:
    """The lock was free, so the run that held it last is gone; if the instance still shows it as
    running (it was killed with -9), record it as failed, or the run queue would wait on it forever."""
    previous = previous_holder.get("run_id")
    if not previous or previous == run_id:
        return
    record = instance.get_run_by_id(previous)
    if record is not None and not record.is_finished:
        instance.report_run_failed(
            record,
            message=f"its process ended without releasing the warehouse lock; run {run_id[:8]} took it",
        )


def launcher_of(run: dg.DagsterRun) -> str:
    """Who started a run, in words, for the lock record and the loser's message."""
    tags = run.tags or {}
    if tags.get(LAUNCHER_TAG):
        return tags[LAUNCHER_TAG]
    if tags.get("dagster/schedule_name"):
        return f"schedule {tags['dagster/schedule_name']}"
    if tags.get("dagster/sensor_name"):
        return f"sensor {tags['dagster/sensor_name']}"
    return "Dagster (UI or dagster job execute)"


def resources_for(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources of every launcher, from one `Settings`."""
    warehouse = WarehouseResource(
        warehouse_path=str(settings.warehouse), keep_versions=settings.keep_versions
    )
    source_files = SourceFilesResource(
        raw_dir=str(settings.raw_dir),
        seeds_dir=str(settings.seeds_dir),
        pii_key=dg.EnvVar(ENV_PII_KEY) if settings.pii_key else "",
        ingest_workers=settings.ingest_workers,
        ingest_limits=dict(settings.ingest_limits),
    )
    return {
        "warehouse": warehouse,
        "source_files": source_files,
        "exports": ExportsResource(
            exports_dir=str(settings.exports_dir), languages=",".join(settings.export_langs)
        ),
        "refresh_run": RefreshRun(
            warehouse=warehouse,
            source_files=source_files,
            build_catalogue=settings.build_catalogue,
            revalidate_all=settings.revalidate_all,
        ),
    }

"""Dagster resources: where the files are and how a run reaches its own build of the warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.publish.store import VersionStore
from pipelines.seeds import compose_seeds
from pipelines.settings import DEFAULT_SEEDS_DIR, Settings, parse_languages


class WarehouseResource(dg.ConfigurableResource):
    """The published warehouse and the per-run build that replaces it once every check has passed.

    Left unset, each location is read from the environment when a run uses it (see settings.py).
    """

    warehouse_path: str | None = None
    keep_versions: int | None = None

    @property
    def store(self) -> VersionStore:
        path = Path(self.warehouse_path).resolve() if self.warehouse_path else Settings.from_env().warehouse
        return VersionStore(path)

    @property
    def keep(self) -> int:
        return self.keep_versions or Settings.from_env().keep_versions

    def build_path(self, run_id: str) -> Path:
        return self.store.start_build(run_id)

    @contextmanager
    def connect_build(self, run_id: str) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.build_path(run_id)))
        try:
            yield con
        finally:
            con.close()

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

    def quality_dir(self, run_id: str) -> Path:
        folder = self.store.root / "quality" / run_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder


class SourceFilesResource(dg.ConfigurableResource):
    """The raw folder countries' files are dropped into, and the seeds folder that describes them."""

    raw_dir: str | None = None
    seeds_dir: str | None = None  # user seeds: each file overrides the default of the same name

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve() if self.raw_dir else Settings.from_env().raw_dir

    @property
    def user_seeds_path(self) -> Path:
        return Path(self.seeds_dir).resolve() if self.seeds_dir else Settings.from_env().seeds_dir

    @property
    def pii_key(self) -> bytes:
        # Never a config field: the key must not show in the UI or in run records.
        return Settings.from_env().pii_key

    def effective_seeds_dir(self, work_dir: Path) -> Path:
        """Default seeds overlaid by the user's seeds folder, file by file, in `work_dir`."""
        return compose_seeds(DEFAULT_SEEDS_DIR, self.user_seeds_path, work_dir)


class ExportsResource(dg.ConfigurableResource):
    exports_dir: str | None = None
    languages: str | None = None  # comma-separated, e.g. "en,fr,ar"; default from the environment

    @property
    def path(self) -> Path:
        return Path(self.exports_dir).resolve() if self.exports_dir else Settings.from_env().exports_dir

    @property
    def langs(self) -> tuple[str, ...]:
        return parse_languages(self.languages) if self.languages else Settings.from_env().export_langs


def default_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "warehouse": WarehouseResource(),
        "source_files": SourceFilesResource(),
        "exports": ExportsResource(),
    }

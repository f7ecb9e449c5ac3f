"""Where things live and how a refresh behaves: resolved once, at the edge, into `Settings`.

The edges are the `vetdx` command (flags over environment variables) and the Dagster code location
(`pipelines/definitions.py`, environment variables of the deployment). Both build one `Settings`,
check it, and hand its values to the Dagster resources as fields; nothing inside the program reads
the environment for configuration. Every path defaults to a location inside the repository, so a
fresh clone works with no configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_SEEDS_DIR = REPO_ROOT / "data" / "seeds"
REPO_DAGSTER_YAML = REPO_ROOT / "dagster.yaml"

ENV_RAW_DIR = "VETDX_RAW_DIR"
ENV_SEEDS_DIR = "VETDX_SEEDS_DIR"
ENV_WAREHOUSE = "VETDX_WAREHOUSE"
ENV_EXPORTS_DIR = "VETDX_EXPORTS_DIR"
ENV_PII_KEY = "VETDX_PII_KEY"
ENV_KEEP_VERSIONS = "VETDX_KEEP_VERSIONS"
ENV_EXPORT_LANGS = "VETDX_EXPORT_LANGS"
ENV_DAGSTER_HOME = "DAGSTER_HOME"  # Dagster's own variable: the CLI and `dagster dev` share one instance
ENV_REFRESH_CRON = "VETDX_REFRESH_CRON"
ENV_INGEST_WORKERS = "VETDX_INGEST_WORKERS"
ENV_LIMIT_PREFIX = "VETDX_MAX_"  # ingest size limits, e.g. VETDX_MAX_CELLS (docs/official-files.md)
# "off" skips the dbt docs site (the data catalogue) of a refresh (~0.3 s since it is written
# in-process, pipelines/defs/dbt_catalogue.py); the version is then published without a catalogue.
ENV_CATALOGUE = "VETDX_CATALOGUE"
# "all" makes the raw checks validate every current row again, not only the batches that have no
# record in audit.validated_batches under the same suite: to re-audit a whole version on demand.
ENV_REVALIDATE = "VETDX_REVALIDATE"
ENV_SQL_EXPORT_DIR = "VETDX_SQL_EXPORT_DIR"  # where `vetdx sql --out` writes (default <exports>/sql)
EXPORT_LANGUAGES = ("en", "fr", "ar")
DEFAULT_REFRESH_CRON = "0 5 1 * *"  # 05:00 UTC on the 1st of each month: after month-end deliveries

# Used only for the bundled synthetic sample with no key configured, so it builds on a fresh machine;
# real data is never hashed with it (pipelines/ingest/privacy/key.py refuses).
DEV_PII_KEY = "vetdx-development-key-set-VETDX_PII_KEY-in-production"

# DuckDB database files start with an 8-byte checksum, then the magic bytes "DUCK".
_DUCKDB_MAGIC = b"DUCK"


class LocationError(ValueError):
    """A configured folder or file does not exist or is not what it should be (one line for a person)."""


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    seeds_dir: Path  # the user's seeds folder: its files override data/seeds/ file by file
    warehouse: Path  # the published file analysts open read-only
    exports_dir: Path
    dagster_home: Path  # the Dagster instance every launcher records its runs in
    # VETDX_PII_KEY when set (handed to Dagster as an EnvVar, so it never shows in the UI); None: the
    # key file beside the warehouse, made on first use (pipelines/ingest/privacy/key.py)
    pii_key: str | None
    keep_versions: int = 5
    export_langs: tuple[str, ...] = ("en",)  # languages a refresh exports in; `vetdx export` adds others
    build_catalogue: bool = True
    revalidate_all: bool = False
    ingest_workers: int | None = None  # parser processes beside the loader; None: one per core
    ingest_limits: tuple[
        tuple[str, int], ...
    ] = ()  # VETDX_MAX_<NAME>: size limits (ingest/readers/limits.py)
    refresh_cron: str = DEFAULT_REFRESH_CRON
    sql_export_dir: Path | None = None  # VETDX_SQL_EXPORT_DIR; None: `sql_exports` under exports_dir

    @classmethod
    def resolve(cls, environ: Mapping[str, str], **overrides: object) -> Settings:
        """Settings from an environment (a mapping, so tests pass their own), then explicit overrides
        (the CLI's flags); None overrides are ignored, so an absent flag falls back to the environment."""

        def path(env: str, default: Path) -> Path:
            value = environ.get(env)
            return Path(value).expanduser().resolve() if value else default

        settings = cls(
            raw_dir=path(ENV_RAW_DIR, REPO_ROOT / "data" / "raw"),
            seeds_dir=path(ENV_SEEDS_DIR, DEFAULT_SEEDS_DIR),
            warehouse=path(ENV_WAREHOUSE, REPO_ROOT / "warehouse" / "vetdx.duckdb"),
            exports_dir=path(ENV_EXPORTS_DIR, REPO_ROOT / "exports"),
            dagster_home=path(ENV_DAGSTER_HOME, REPO_ROOT / ".dagster_home"),
            pii_key=environ.get(ENV_PII_KEY) or None,
            keep_versions=parse_count(ENV_KEEP_VERSIONS, environ.get(ENV_KEEP_VERSIONS, "5"), minimum=1),
            export_langs=parse_languages(environ.get(ENV_EXPORT_LANGS, "en")),
            build_catalogue=parse_switch(ENV_CATALOGUE, environ.get(ENV_CATALOGUE, "on")),
            revalidate_all=parse_revalidate(environ.get(ENV_REVALIDATE, "new")),
            ingest_workers=parse_workers(environ.get(ENV_INGEST_WORKERS)),
            ingest_limits=parse_limits(environ),
            refresh_cron=environ.get(ENV_REFRESH_CRON) or DEFAULT_REFRESH_CRON,
            sql_export_dir=path(ENV_SQL_EXPORT_DIR, None) if environ.get(ENV_SQL_EXPORT_DIR) else None,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        for key in ("raw_dir", "seeds_dir", "warehouse", "exports_dir", "dagster_home"):
            if key in given:
                given[key] = Path(str(given[key])).expanduser().resolve()
        return replace(settings, **given)

    @property
    def sql_exports(self) -> Path:
        """The folder analysts' `vetdx sql --out` files go to (the operator chooses it)."""
        return self.sql_export_dir or self.exports_dir / "sql"

    @classmethod
    def from_env(cls) -> Settings:
        """The process environment: only for the edges (CLI entry, code location loader)."""
        return cls.resolve(os.environ)


def check_locations(raw_dir: Path, seeds_dir: Path, warehouse: Path) -> None:
    """Fail with one line when a location a refresh reads or writes is missing or of the wrong kind."""
    if not raw_dir.exists():
        raise LocationError(f"raw folder {raw_dir} does not exist")
    if not raw_dir.is_dir():
        raise LocationError(f"raw folder {raw_dir} is a file, not a folder")
    if not seeds_dir.exists():
        raise LocationError(f"seeds folder {seeds_dir} does not exist")
    if not seeds_dir.is_dir():
        raise LocationError(f"seeds folder {seeds_dir} is a file, not a folder")
    check_warehouse_path(warehouse)


def check_warehouse_path(warehouse: Path) -> None:
    """The published warehouse is a DuckDB file or does not exist yet; its folder is a folder."""
    if warehouse.is_dir():
        raise LocationError(f"warehouse {warehouse} is a folder; give the path of the .duckdb file")
    for parent in warehouse.parents:
        if parent.exists():
            if not parent.is_dir():
                raise LocationError(f"warehouse {warehouse}: {parent} is a file, not a folder")
            break
    if warehouse.exists() and not is_duckdb_file(warehouse):
        raise LocationError(f"warehouse {warehouse} is not a DuckDB database file")


def is_duckdb_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            header = handle.read(12)
    except OSError:
        return False
    return header[8:12] == _DUCKDB_MAGIC


def parse_languages(text: str) -> tuple[str, ...]:
    langs = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [lang for lang in langs if lang not in EXPORT_LANGUAGES]
    if unknown or not langs:
        raise ValueError(f"export languages must be among {', '.join(EXPORT_LANGUAGES)}; got {text!r}")
    return langs


def parse_switch(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "1", "true", "yes"):
        return True
    if value in ("off", "0", "false", "no"):
        return False
    raise ValueError(f"{name} must be on or off; got {text!r}")


def parse_revalidate(text: str) -> bool:
    """`all`: every raw batch is validated again; `new` (the default): only batches not validated yet."""
    value = text.strip().lower()
    if value in ("all", "new"):
        return value == "all"
    raise ValueError(f"{ENV_REVALIDATE} must be all or new; got {text!r}")


def parse_count(name: str, text: str, minimum: int = 0) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number; got {text!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be {minimum} or more; got {text!r}")
    return value


def parse_limits(environ: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
    """`VETDX_MAX_CELLS=50000000` -> (("max_cells", 50000000),): which names exist, ingest knows."""
    return tuple(
        sorted(
            (name[len("VETDX_") :].lower(), parse_count(name, value, minimum=1))
            for name, value in environ.items()
            if name.startswith(ENV_LIMIT_PREFIX) and value.strip()
        )
    )


def parse_workers(text: str | None) -> int | None:
    """`VETDX_INGEST_WORKERS`: parser processes beside the loader (0 or 1 parse in-process)."""
    if text is None or not text.strip():
        return None
    return parse_count(ENV_INGEST_WORKERS, text.strip())

"""Where things live. Resolved at run time from environment variables, never at import time.

Every path defaults to a location inside the repository, so a fresh clone works with no
configuration; each can be moved with an environment variable (the CLI's flags set these).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_SEEDS_DIR = REPO_ROOT / "data" / "seeds"

ENV_RAW_DIR = "VETDX_RAW_DIR"
ENV_SEEDS_DIR = "VETDX_SEEDS_DIR"
ENV_WAREHOUSE = "VETDX_WAREHOUSE"
ENV_EXPORTS_DIR = "VETDX_EXPORTS_DIR"
ENV_PII_KEY = "VETDX_PII_KEY"
ENV_KEEP_VERSIONS = "VETDX_KEEP_VERSIONS"
ENV_EXPORT_LANGS = "VETDX_EXPORT_LANGS"
# "off" skips the dbt docs site (the data catalogue) of a refresh: ~10 s saved per refresh, for quick
# operational refreshes and the crash tests; the version is then published without a catalogue.
ENV_CATALOGUE = "VETDX_CATALOGUE"
# "all" makes the raw checks validate every current row again, not only the batches that have no
# record in audit.validated_batches under the same suite: to re-audit a whole version on demand.
ENV_REVALIDATE = "VETDX_REVALIDATE"
EXPORT_LANGUAGES = ("en", "fr", "ar")

# Used only when no key is configured, so the sample builds on a fresh machine. Hashes made with it
# are still not reversible without a dictionary of candidate names; production sets VETDX_PII_KEY.
DEV_PII_KEY = "vetdx-development-key-set-VETDX_PII_KEY-in-production"


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    seeds_dir: Path  # the user's seeds folder: its files override data/seeds/ file by file
    warehouse: Path  # the published file analysts open read-only
    exports_dir: Path
    pii_key: bytes
    keep_versions: int
    export_langs: tuple[str, ...]  # languages a refresh exports in; `vetdx export` adds others later
    build_catalogue: bool = True
    revalidate_all: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            raw_dir=_path(ENV_RAW_DIR, REPO_ROOT / "data" / "raw"),
            seeds_dir=_path(ENV_SEEDS_DIR, DEFAULT_SEEDS_DIR),
            warehouse=_path(ENV_WAREHOUSE, REPO_ROOT / "warehouse" / "vetdx.duckdb"),
            exports_dir=_path(ENV_EXPORTS_DIR, REPO_ROOT / "exports"),
            pii_key=os.environ.get(ENV_PII_KEY, DEV_PII_KEY).encode(),
            keep_versions=int(os.environ.get(ENV_KEEP_VERSIONS, "5")),
            export_langs=parse_languages(os.environ.get(ENV_EXPORT_LANGS, "en")),
            build_catalogue=parse_switch(ENV_CATALOGUE, os.environ.get(ENV_CATALOGUE, "on")),
            revalidate_all=parse_revalidate(os.environ.get(ENV_REVALIDATE, "new")),
        )


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

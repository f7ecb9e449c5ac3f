"""The reference data of a run: the seed CSVs, composed once into one folder and read once.

A user who brings their own catalogue or country list puts just those files in a folder and runs
`vetdx refresh --seeds <folder>`; every seed they did not bring falls back to `data/seeds/`. The
run's setup composes the two into the folder dbt seeds from, and reads every seed from there once:
ingest (names, codes, units) and the quality checks (reference sets) get the same rows dbt loads
into `reference.*`, so a refresh that adds a country judges its rows against the new list.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.hashing import sha256_of

SeedRows = list[dict[str, str]]


@dataclass(frozen=True)
class SeedFile:
    name: str  # file stem: the dbt seed and `reference.<name>`
    origin: str  # "default" or "user": which folder the run's copy came from
    sha256: str
    rows: int


def compose_seeds(defaults: Path, overrides: Path, target: Path) -> dict[str, SeedFile]:
    """Copy the default seeds, then the user's over them file by file, into `target` (made empty)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    origins: dict[str, str] = {}
    same = overrides.resolve() == defaults.resolve()
    for source, origin in ((defaults, "default"), *(() if same else ((overrides, "user"),))):
        for path in sorted(source.glob("*.csv")):
            shutil.copyfile(path, target / path.name)
            origins[path.stem] = origin
    return {
        name: SeedFile(
            name=name,
            origin=origin,
            sha256=sha256_of(target / f"{name}.csv"),
            rows=len(read_seed(target / f"{name}.csv")),
        )
        for name, origin in sorted(origins.items())
    }


def read_seed(path: Path) -> SeedRows:
    """Rows of a seed CSV; an absent file is an empty seed (the parser then rejects what needs it)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def read_seeds(folder: Path) -> Mapping[str, SeedRows]:
    """Every seed of a folder, by name."""
    return {path.stem: read_seed(path) for path in sorted(folder.glob("*.csv"))}

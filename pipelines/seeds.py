"""The effective seeds folder: the defaults, overridden file by file by a user's seeds folder.

A user who brings their own catalogue or country list puts just those files in a folder and runs
`vetdx refresh --seeds <folder>`; every seed they did not bring falls back to `data/seeds/`.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def compose_seeds(defaults: Path, overrides: Path, work_dir: Path) -> Path:
    if overrides.resolve() == defaults.resolve():
        return defaults
    target = work_dir / "seeds"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for source in (defaults, overrides):
        for csv in sorted(source.glob("*.csv")):
            shutil.copyfile(csv, target / csv.name)
    return target

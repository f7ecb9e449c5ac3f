"""Where the SQL comes from: the argument itself, a `.sql` file, or standard input (`-`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from pipelines.analyst.errors import BadInput
from pipelines.settings import REPO_ROOT


def read_query(argument: str | None, stdin: TextIO | None = None) -> tuple[str, str]:
    """(sql, name for messages). A `.sql` path is tried as given, then from the repository root,
    so `vetdx sql queries/01_latest_overall_ranking.sql` works from any folder."""
    stdin = stdin if stdin is not None else sys.stdin
    if argument is None or argument == "-":
        if argument is None and stdin.isatty():
            raise BadInput("give a query, a .sql file, or - to read the query from standard input")
        return stdin.read(), "standard input"
    if argument.strip().lower().endswith(".sql") and "\n" not in argument:
        return _read_file(Path(argument.strip()).expanduser()), argument.strip()
    return argument, "the query"


def _read_file(path: Path) -> str:
    candidates = [path] if path.is_absolute() else [path, REPO_ROOT / path]
    for candidate in candidates:
        if candidate.is_file():
            try:
                return candidate.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as exc:
                raise BadInput(f"{path}: not UTF-8 text (byte {exc.start})") from None
        if candidate.is_dir():
            raise BadInput(f"{path} is a folder; give one .sql file")
    raise BadInput(f"no such query file: {path}")

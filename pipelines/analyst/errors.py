"""The mistakes and refusals an analyst can meet: each one is a single line for the terminal."""

from __future__ import annotations


class AnalystError(Exception):
    """A mistake or a refusal: printed as one line, exit code 2 (usage errors, as argparse does)."""

    exit_code = 2


class Refused(AnalystError):
    """A statement the analyst session never runs (it could write, read outside, or unlock)."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"refused: {what} is not allowed for analysts ({why})")


class BadInput(AnalystError):
    """The query itself is unusable: empty, comment-only, a missing .sql file."""


class WarehouseUnavailable(AnalystError):
    """The warehouse path is missing, a folder, not a DuckDB file, or a damaged file."""


class QueryFailed(AnalystError):
    """DuckDB rejected a permitted query (syntax, unknown table): exit 1, as before this package."""

    exit_code = 1

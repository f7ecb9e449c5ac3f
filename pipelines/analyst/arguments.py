"""The arguments of `vetdx sql`, kept free of heavy imports: `vetdx` builds its parser for every command."""

from __future__ import annotations

import argparse

FORMATS = ("table", "csv", "json", "markdown")  # rendered by pipelines/analyst/output.py


def add_sql_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help="SQL text, a .sql file (e.g. queries/01_...sql), or - for stdin")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--out",
        metavar="NAME.csv|NAME.parquet|NAME.xlsx",
        help="write the rows into the export folder (env VETDX_SQL_EXPORT_DIR, default exports/sql)",
    )

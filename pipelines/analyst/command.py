"""`vetdx sql`: one query, `.sql` file or standard input through the analyst session, printed or exported."""

from __future__ import annotations

import argparse
import sys

from pipelines.analyst import export, session
from pipelines.analyst.errors import AnalystError
from pipelines.analyst.output import format_rows
from pipelines.analyst.source import read_query
from pipelines.settings import Settings


def run_sql(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return _run(args, settings)
    except AnalystError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code


def _run(args: argparse.Namespace, settings: Settings) -> int:
    sql, source = read_query(args.query)
    target = None
    if args.out:
        folder = settings.sql_exports
        target = export.target_path(args.out, folder, settings.warehouse)
    con = session.open_sandbox(settings.warehouse)
    try:
        result, last = session.run_script(con, settings.warehouse, sql, source)
        if target is not None:
            rows = export.write(result, last, target)
            print(f"{rows} row{'s' if rows != 1 else ''} written to {target}")
            return 0
        if not result.description:
            return 0
        columns = [d[0] for d in result.description]
        rows = _fetch_all(result, settings)
    finally:
        con.close()
    print(format_rows(columns, rows, args.format))
    return 0


def _fetch_all(result, settings: Settings) -> list[tuple]:
    import duckdb

    try:
        return result.fetchall()
    except duckdb.Error as exc:  # a damaged page can surface only while rows are fetched
        raise session.error_for(settings.warehouse, exc) from None

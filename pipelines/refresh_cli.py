"""`vetdx refresh` for a person: a progress view of the stages, then the summary.

Everything the run writes (Dagster's log lines, dbt's output, parser warnings) goes to a log file
beside the warehouse, `logs/refresh-<run id>.log`, and stays in the run's Dagster event log; the
terminal gets one progress line and the summary, which names the log file. `--verbose` puts the log
on the terminal as well and lets tracebacks through.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import dagster as dg

from pipelines.refresh import run_refresh
from pipelines.run_events import StageProgress, log_path_for, write_log_line
from pipelines.settings import Settings


def refresh_for_a_person(settings: Settings, quiet: bool = False, verbose: bool = False) -> int:
    from dagster._core.utils import make_new_run_id

    from pipelines.definitions import build_definitions

    run_id = make_new_run_id()
    log_path = log_path_for(settings.warehouse, run_id)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    graph = build_definitions(settings).resolve_asset_graph()
    dbt_models = sum(1 for key in graph.get_all_asset_keys() if key.path[0] in _DBT_SCHEMAS)
    with log_path.open("w", encoding="utf-8") as log, _terminal(redirect_to=None if verbose else log) as term:
        progress = None if quiet else StageProgress(dbt_models, len(graph.asset_check_keys), _writer(term))

        def on_event(entry: dg.EventLogEntry) -> None:
            write_log_line(log, entry)
            if progress is not None:
                progress(entry)

        report = run_refresh(settings, quiet=quiet and not verbose, on_event=on_event, run_id=run_id)
        if progress is not None and term.isatty():
            term.write("\n")
    report.log_file = str(log_path)
    print(report.render())
    return 0 if report.success else 1


_DBT_SCHEMAS = ("reference", "staging", "intermediate", "marts")


@contextmanager
def _terminal(redirect_to: TextIO | None) -> Iterator[TextIO]:
    """The terminal, while file descriptors 1 and 2 (this process's and its children's: dbt,
    parser workers) point at the log file."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(2)
    term = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8")
    if redirect_to is None:
        try:
            yield term
        finally:
            term.close()
            os.close(saved)
        return
    saved_out = os.dup(1)
    redirect_to.flush()
    os.dup2(redirect_to.fileno(), 1)
    os.dup2(redirect_to.fileno(), 2)
    try:
        yield term
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved_out, 1)
        os.dup2(saved, 2)
        os.close(saved_out)
        os.close(saved)
        term.close()


def _writer(term: TextIO) -> Callable[[str], None]:
    """One line rewritten in place on a terminal; a new line per stage otherwise (CI logs, pipes)."""
    if term.isatty():
        return lambda line: term.write("\r" + line.ljust(100)[:120])
    last_step: list[str] = []

    def write(line: str) -> None:
        step = line.split()[0]
        if not last_step or last_step[0] != step:
            last_step[:] = [step]
            term.write(line + "\n")

    return write

"""Follow a Dagster run's event log while it runs: the CLI's progress view and its log file.

The run writes its events into the instance's event-log storage; a thread reads them back in order
every half second (and once more at the end), so what the CLI shows is exactly what the UI shows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import dagster as dg

POLL_SECONDS = 0.5
# Log lines the ingest steps write for the progress view: new files of a source, then one per file.
PROGRESS_TOTAL_PREFIX = "[files] "
PROGRESS_PREFIX = "[file] "


class RunWatcher:
    """Context manager: calls `on_event(entry)` for every event of `run_id`, in order, once each."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_id: str,
        on_event: Callable[[dg.EventLogEntry], None] | None,
    ):
        self.instance = instance
        self.run_id = run_id
        self.on_event = on_event
        self._cursor: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RunWatcher:
        if self.on_event is not None:
            self._thread = threading.Thread(target=self._loop, name="vetdx-run-watcher", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._drain()  # what was written after the last poll

    def _loop(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._drain()

    def _drain(self) -> None:
        while True:
            try:
                connection = self.instance.get_records_for_run(self.run_id, cursor=self._cursor, limit=500)
            except Exception:  # the run is not in storage yet
                return
            for record in connection.records:
                self.on_event(record.event_log_entry)
            self._cursor = connection.cursor
            if not connection.has_more:
                return


@dataclass
class StageProgress:
    """What a person wants to see of a refresh: the step running, files, dbt models, checks."""

    dbt_models_total: int
    checks_total: int
    write: Callable[[str], None]
    files_total: int = 0
    files_done: int = 0
    dbt_models_done: int = 0
    checks_done: int = 0
    step: str = "starting"
    _last: str = field(default="", repr=False)

    def __call__(self, entry: dg.EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None:
            message = entry.user_message or ""
            if message.startswith(PROGRESS_TOTAL_PREFIX):
                self.files_total += int(message.split()[1])
            elif message.startswith(PROGRESS_PREFIX):
                self.files_done += 1
        elif event.event_type == dg.DagsterEventType.STEP_START and event.step_key:
            self.step = event.step_key
        elif event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            key = event.asset_key
            if key is not None and key.path[0] in ("reference", "staging", "intermediate", "marts"):
                self.dbt_models_done += 1
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            self.checks_done += 1
        self._show()

    def line(self) -> str:
        files = f"{self.files_done}/{self.files_total}" if self.files_total else f"{self.files_done}"
        models = f"{self.dbt_models_done}/{self.dbt_models_total}"
        checks = f"{self.checks_done}/{self.checks_total}"
        return f"  {self.step[:28]:<28}  files {files}  dbt models {models}  checks {checks}"

    def _show(self) -> None:
        line = self.line()
        if line != self._last:
            self._last = line
            self.write(line)


def write_log_line(handle: TextIO, entry: dg.EventLogEntry) -> None:
    """One line per event, as the UI's structured log lists it."""
    stamp = datetime.fromtimestamp(entry.timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
    event = entry.dagster_event
    kind = event.event_type_value if event is not None else logging.getLevelName(entry.level)
    step = entry.step_key or "-"
    message = entry.user_message or (event.message if event is not None and event.message else "")
    handle.write(f"{stamp} {kind:<24} {step:<40} {message}\n")
    handle.flush()


def log_path_for(warehouse: Path, run_id: str) -> Path:
    return warehouse.parent / "logs" / f"refresh-{run_id}.log"

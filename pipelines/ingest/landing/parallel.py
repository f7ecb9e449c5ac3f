"""Parse files ahead of the loader, in worker processes, so both cores work during an ingest.

Landing stays in the loader's process, one file at a time and in file order (DuckDB has one writer),
while workers parse the next files. On the 10M-row benchmark the two overlap: Polars parses file
N+1 while DuckDB stores file N. Survey exports are parsed row by row in Python, so there the gain
is the second core itself.

A worker is a fresh (spawned) interpreter: forking a process whose Polars and DuckDB thread pools
are running can deadlock the child. Spawning costs ~1 s, so small batches are parsed in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.context import ParseContext
from pipelines.ingest.landing.counts import CountedFile, count_input_rows
from pipelines.ingest.parse import parse_file
from pipelines.ingest.rows.model import ParsedFile

# Below these, spawning workers (~1 s each) costs more than it saves.
MIN_FILES_FOR_WORKERS = 8
MIN_BYTES_FOR_WORKERS = 16 << 20

# Sources whose parsers work row by row in Python (survey answers, ministry layouts).
PARSED_IN_PYTHON = frozenset({"survey", "institutions"})

Parser = Callable[[Path, str, str], ParsedFile]  # (path, source, display name) -> ParsedFile


@dataclass(frozen=True)
class FileParser:
    """The refresh's parse function; picklable, so worker processes can run it."""

    ctx: ParseContext

    def __call__(self, path: Path, source: str, display: str) -> ParsedFile:
        return parse_file(path, source, self.ctx, display)


@dataclass(frozen=True)
class ParseJob:
    path: Path
    display: str


def worker_count(files: int, total_bytes: int, configured: int | None = None) -> int:
    """Worker processes for a batch of files: 0 (parse in-process) for small batches.

    `configured` (the `ingest_workers` setting) overrides the default of one worker per usable core."""
    workers = len(os.sched_getaffinity(0)) if configured is None else configured
    if workers <= 1 or (files < MIN_FILES_FOR_WORKERS and total_bytes < MIN_BYTES_FOR_WORKERS):
        return 0
    return workers


def _picklable(parse: Parser) -> bool:
    try:
        pickle.dumps(parse)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


_worker_parser: Parser | None = None


def _init_worker(parse: Parser) -> None:
    global _worker_parser
    _worker_parser = parse


def parse_counted(parse: Parser, path: Path, source: str, display: str) -> CountedFile:
    """Parse one file and count its input rows, in whichever thread or process runs the job."""
    return count_input_rows(parse(path, source, display))


def _parse_in_worker(path: Path, source: str, display: str) -> CountedFile:
    assert _worker_parser is not None, "worker started without a parser"
    return parse_counted(_worker_parser, path, source, display)


Submit = Callable[[ParseJob], "Future[CountedFile]"]  # starts parsing a job beside the loader


@contextmanager
def parse_pool(parse: Parser, workers: int, source: str) -> Iterator[Submit | None]:
    """A way to start parsing files on `workers` beside the loader, or None for in-process parsing.

    Sources parsed row by row in Python (PARSED_IN_PYTHON) get processes, for the GIL. The others
    are vectorised (Polars, calamine release the GIL) and get threads: sending a parsed 575k-row
    inventory back from a process costs ~0.6 s of pickling, half of what parsing it costs.
    A `parse` that cannot be sent to another process (a lambda) is run in threads too.
    """
    if workers == 0:
        yield None
        return
    pool: Executor
    submit: Submit
    if source in PARSED_IN_PYTHON and _picklable(parse):
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(parse,),
        )
        submit = lambda job: pool.submit(_parse_in_worker, job.path, source, job.display)  # noqa: E731
    else:
        pool = ThreadPoolExecutor(max_workers=workers)
        submit = lambda job: pool.submit(parse_counted, parse, job.path, source, job.display)  # noqa: E731
    try:
        yield submit
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def parsed_in_order(
    jobs: list[ParseJob], source: str, parse: Parser, submit: Submit | None, ahead: int = 4
) -> Iterator[tuple[ParseJob, Callable[[], CountedFile]]]:
    """Each job with a thunk giving its CountedFile (or raising what the parser raised), in job order.

    With `submit`, at most `ahead` files are parsed ahead of the one being landed: memory stays at
    a few parsed files whatever the size of the batch.
    """
    if submit is None:
        for job in jobs:
            yield job, lambda job=job: parse_counted(parse, job.path, source, job.display)
        return
    waiting: deque[tuple[ParseJob, Future[CountedFile]]] = deque()
    queued = iter(jobs)
    for job in queued:
        waiting.append((job, submit(job)))
        if len(waiting) >= ahead:
            break
    while waiting:
        job, future = waiting.popleft()
        next_job = next(queued, None)
        if next_job is not None:
            waiting.append((next_job, submit(next_job)))
        yield job, future.result

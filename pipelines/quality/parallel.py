"""Row-level chunks validated on every core: this process and spawned helper processes share them.

GX on pandas holds the GIL, so a second core needs a second interpreter. A helper is spawned
(forking a process whose DuckDB threads run can deadlock the child) and must import GX before its
first chunk (4-14 s on this VM, depending on load). Meanwhile this process validates chunks
itself, so a helper only ever adds throughput: a table that ends before any helper is ready is
validated exactly as in one process.

Chunks are handed out in stream order; each helper has at most HELPER_QUEUE chunks waiting (Arrow
record batches, pickled as buffers), so memory is bounded by (1 + helpers x HELPER_QUEUE) chunks
in flight, whatever the table size. The per-chunk verdicts are merged in chunk order (runner), so
counts, examples and their order are those of a serial validation.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import great_expectations as gx
import pyarrow as pa

from pipelines.quality.frames import ChunkVerdict, GxFrames, gx_frame

# A helper's backlog: one chunk it works on, one waiting so it never idles between chunks.
HELPER_QUEUE = 2

log = logging.getLogger(__name__)

Verdicts = list[ChunkVerdict]


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def idle_cores(samples: int = 25, interval: float = 0.02) -> int:
    """Cores no other process wants: usable cores minus the runnable tasks other than this one
    (/proc/loadavg), the median of `samples` reads over half a second. 0 where unknown.

    Why it matters: a helper competes for a core. On the 2-core VM with 4-5 other runnable
    processes, one helper made the 10.6M-row validation slower (43.7 s -> 55.9 s, CPU 28.6 s ->
    41.2 s with the helper's GX import and the chunks' pickling). Five reads over 50 ms once saw a
    core idle at load 3.4; the median of half a second does not.

    Not the 1-minute load average: right after a refresh's ingest it counts the refresh's own
    parse workers (~2 on 2 cores), so it kept the helper out exactly when the second core had
    nothing else to do.
    """
    reads = []
    for _ in range(samples):
        try:
            runnable = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
        except (OSError, IndexError, ValueError):
            return 0
        reads.append(runnable - 1)  # this process, reading
        time.sleep(interval)
    return max(0, usable_cores() - sorted(reads)[len(reads) // 2])


class ChunkValidator:
    """Validates chunks of one suite here and on `helpers` spawned processes; `results()` gives the
    verdicts of every chunk in the order the chunks were given.

    A chunk whose helper failed (a killed process) is validated here instead, and no further chunk
    goes to helpers: a broken helper costs time, never a verdict.
    """

    def __init__(
        self,
        frames: GxFrames,
        suite: gx.ExpectationSuite,
        id_columns: tuple[str, ...],
        helpers: int = 0,
        wait_for_helpers: bool = False,  # block until they are up (tests: every chunk may go there)
    ) -> None:
        self._frames, self._suite, self._id_columns = frames, suite, id_columns
        self._helpers = helpers
        self._pool: ProcessPoolExecutor | None = None
        self._ready: list[Future] = []
        self._results: list[Verdicts | None] = []
        # chunk index -> (its helper's future, the chunk, kept until its verdicts are in)
        self._waiting: dict[int, tuple[Future[Verdicts], pa.RecordBatch]] = {}
        self.chunks_in_helpers = 0
        if helpers > 0:
            self._pool = ProcessPoolExecutor(
                max_workers=helpers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_helper,
                initargs=(suite, id_columns),
            )
            # Each completes once a helper has imported GX and built its context.
            self._ready = [self._pool.submit(_ready) for _ in range(helpers)]
            if wait_for_helpers:
                wait(self._ready)

    def __enter__(self) -> ChunkValidator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the helpers. One still importing GX is not waited for: it exits once it is up."""
        if self._pool is not None:
            started = all(f.done() for f in self._ready)
            self._pool.shutdown(wait=started and not self._waiting, cancel_futures=True)
            self._pool = None

    def add(self, batch: pa.RecordBatch) -> None:
        """Validate `batch` in a helper if one is ready and has room, else here and now."""
        self._collect(wait=False)
        index = len(self._results)
        self._results.append(None)
        if self._helper_has_room():
            try:
                self._waiting[index] = (self._pool.submit(_validate_in_helper, batch), batch)
                self.chunks_in_helpers += 1
                return
            except BrokenProcessPool:
                self._give_up_helpers()
        self._results[index] = self._local(batch)

    def results(self) -> list[Verdicts]:
        """Every chunk's verdicts, in the order given (waits for the helpers)."""
        self._collect(wait=True)
        return [r for r in self._results if r is not None]

    def _local(self, batch: pa.RecordBatch) -> Verdicts:
        return self._frames.verdicts(gx_frame(batch), self._suite, self._id_columns)

    def _helper_has_room(self) -> bool:
        if self._pool is None or not any(f.done() for f in self._ready):
            return False
        if any(f.done() and f.exception() is not None for f in self._ready):
            self._give_up_helpers()
            return False
        return len(self._waiting) < self._helpers * HELPER_QUEUE

    def _collect(self, wait: bool) -> None:
        for index, (future, batch) in list(self._waiting.items()):
            if not (wait or future.done()):
                continue
            try:
                self._results[index] = future.result()
            except (BrokenProcessPool, CancelledError) as exc:
                log.warning("GX helper failed (%s); validating its chunk in this process", exc)
                self._give_up_helpers()
                self._results[index] = self._local(batch)
            del self._waiting[index]

    def _give_up_helpers(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


_helper: tuple[GxFrames, gx.ExpectationSuite, tuple[str, ...]] | None = None


def _init_helper(suite: gx.ExpectationSuite, id_columns: tuple[str, ...]) -> None:
    global _helper
    _helper = (GxFrames(), suite, id_columns)


def _ready() -> bool:
    return _helper is not None


def _validate_in_helper(batch: pa.RecordBatch) -> Verdicts:
    assert _helper is not None, "helper started without a suite"
    frames, suite, id_columns = _helper
    return frames.verdicts(gx_frame(batch), suite, id_columns)

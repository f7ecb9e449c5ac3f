"""Run a child process and measure its wall time and peak memory, the child's whole tree included.

Two memory figures, because they answer different questions:
- `peak_tree_rss_mib`: the largest sum of resident memory over the child and all its descendants,
  sampled every 100 ms from /proc. This is what the machine must hold at once (dbt runs as a
  grandchild of `vetdx refresh`). Pages shared between processes are counted in each, so it errs high.
- `max_rss_mib`: the kernel's high-water mark of the single largest process in the tree
  (`wait4` rusage of this child; exact, but blind to processes running side by side).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

_SAMPLE_SECONDS = 0.1
_PAGE = resource.getpagesize()


@dataclass(frozen=True)
class ProcessRun:
    returncode: int
    seconds: float
    peak_tree_rss_mib: float | None  # None where /proc is unavailable (not Linux)
    max_rss_mib: float
    lines: list[tuple[float, str, str]]  # (seconds since start, "stdout" | "stderr", line) as they came


def _pump(stream: IO[bytes], name: str, log: Path, started: float, lines: list) -> None:
    """Copy a child's stream to `log`, stamping each line with when it arrived."""
    with log.open("wb") as out:
        for raw in stream:
            out.write(raw)
            lines.append((time.perf_counter() - started, name, raw.decode(errors="replace").rstrip("\r\n")))


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (field 2) may hold spaces or parentheses: split after its last ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def tree_rss_bytes(root: int) -> int:
    """Resident bytes of `root` and every descendant, right now."""
    children = _children_map()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except (OSError, IndexError):
            continue
    return total


def run_measured(
    argv: list[str], env: dict[str, str], cwd: Path, log_dir: Path, timeout: float | None = None
) -> ProcessRun:
    """Run `argv` to completion; stdout and stderr are kept in `log_dir` and returned line by line.

    The child runs unbuffered (PYTHONUNBUFFERED) so each line's arrival time is when it was written.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    has_proc = Path("/proc/self/statm").exists()
    peak, lines = 0, []
    started = time.perf_counter()
    # A session of its own, so a timeout can stop the whole tree (dbt included) and nothing else.
    proc = subprocess.Popen(
        argv,
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    pumps = [
        threading.Thread(target=_pump, args=(stream, name, log_dir / f"{name}.txt", started, lines))
        for stream, name in ((proc.stdout, "stdout"), (proc.stderr, "stderr"))
    ]
    for pump in pumps:
        pump.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if has_proc:
            peak = max(peak, tree_rss_bytes(proc.pid))
        if timeout is not None and time.perf_counter() - started > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(_SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    for pump in pumps:
        pump.join()
    proc.stdout.close()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen so it won't wait
    return ProcessRun(
        returncode=proc.returncode,
        seconds=round(seconds, 2),
        peak_tree_rss_mib=round(peak / 2**20, 1) if has_proc else None,
        max_rss_mib=round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
        lines=sorted(lines),
    )

"""Locks held by a refresh run for as long as its process lives.

`flock` locks belong to an open file and die with the process that holds it, so a refresh killed
with -9 frees its locks at once: a free lock is proof that its owner is gone. Two locks matter:

- the warehouse lock (`<warehouse folder>/.refresh.lock`): at most one refresh writes a warehouse;
  the file records who holds it, so a refresh that loses names the one running;
- the owner lock of a work folder (a build, a staged seeds folder): the folder may be swept only
  when that lock is free.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

OWNER_LOCK_NAME = ".owner.lock"
# A work folder without an owner lock is either being created right now (the lock follows within
# milliseconds) or was left by a process killed in that instant; an hour apart, it is the second.
UNLOCKED_FOLDER_GRACE_SECONDS = 3600
# A sweeper tells a live owner from a dead one by taking the owner's lock for an instant
# (`is_orphan`), so a lock may be busy for microseconds with no holder behind it: acquiring retries
# for this long before it reports the lock held.
PROBE_PATIENCE_SECONDS = 1.0


class LockHeld(RuntimeError):
    """Another live process holds the lock; `holder` says who, as recorded in the lock file."""

    def __init__(self, path: Path, holder: dict):
        self.path = path
        self.holder = holder
        super().__init__(describe_holder(holder))


def describe_holder(holder: dict) -> str:
    if not holder:
        return "another process (it recorded nothing about itself)"
    run = str(holder.get("run_id", "?"))[:8]
    return (
        f"run {run} started by {holder.get('launcher', 'an unknown launcher')} "
        f"(pid {holder.get('pid', '?')} on {holder.get('host', '?')}, since {holder.get('since', '?')})"
    )


@dataclass
class FileLock:
    """An exclusive, non-blocking `flock` on one file, with a JSON record of its holder."""

    path: Path
    _handle: object | None = None

    def acquire(self, holder: dict | None = None) -> dict:
        """Take the lock or raise LockHeld. Returns what the previous holder recorded (if anything)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        deadline = time.monotonic() + PROBE_PATIENCE_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                handle.seek(0)
                recorded = _parse(handle.read())
                handle.close()
                raise LockHeld(self.path, recorded) from None
        handle.seek(0)
        previous = _parse(handle.read())
        handle.seek(0)
        handle.truncate()
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            **(holder or {}),
        }
        handle.write(json.dumps(record, sort_keys=True))
        handle.flush()
        self._handle = handle
        return previous

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()

    @property
    def held(self) -> bool:
        return self._handle is not None


def _parse(text: str) -> dict:
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def owner_lock(folder: Path) -> FileLock:
    return FileLock(folder / OWNER_LOCK_NAME)


def is_orphan(folder: Path, now: float | None = None) -> bool:
    """True when the folder's owner is provably gone: its owner lock exists and is free, or it never
    got one and is older than the grace period. False for a folder that is gone already: its owner
    removed it while this looked (staged seeds are shared by the refreshes of every warehouse, and
    each removes its own at the end of its run)."""
    lock_path = folder / OWNER_LOCK_NAME
    try:
        if not lock_path.exists():
            age = (now or time.time()) - folder.stat().st_mtime
            return age > UNLOCKED_FOLDER_GRACE_SECONDS
        with lock_path.open("r") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(handle, fcntl.LOCK_UN)
    except FileNotFoundError:
        return False
    return True


def sweep_orphans(parent: Path) -> list[str]:
    """Delete the work folders under `parent` whose owners are gone; live runs' folders stay. A
    symbolic link among them (a stable alias of a run's folder) goes once what it names is gone."""
    if not parent.is_dir():
        return []
    removed = []
    for folder in sorted(parent.iterdir()):
        if not folder.is_symlink() and folder.is_dir() and is_orphan(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    for link in sorted(parent.iterdir()):
        if link.is_symlink() and not link.exists():
            link.unlink()
    return removed

"""The warehouse lock and work-folder owner locks: held by a live process, free once it is gone."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipelines.publish.locks import (
    UNLOCKED_FOLDER_GRACE_SECONDS,
    FileLock,
    LockHeld,
    is_orphan,
    owner_lock,
    sweep_orphans,
)
from pipelines.publish.store import VersionStore

HOLD = """
import sys, time
from pathlib import Path
from pipelines.publish.locks import FileLock
lock = FileLock(Path(sys.argv[1]))
lock.acquire({"run_id": "other-run-123456", "launcher": "schedule monthly"})
print("held", flush=True)
time.sleep(600)
"""


def _hold_in_another_process(path: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_lock_held_by_another_process_names_its_holder(tmp_path):
    path = tmp_path / ".refresh.lock"
    other = _hold_in_another_process(path)
    try:
        with pytest.raises(LockHeld) as refused:
            FileLock(path).acquire({"run_id": "mine"})
        message = str(refused.value)
        assert "run other-ru started by schedule monthly" in message
        assert f"pid {other.pid}" in message
    finally:
        other.kill()
        other.wait()
    # kill -9 frees the lock at once; the next holder learns who held it last
    lock = FileLock(path)
    assert lock.acquire({"run_id": "mine"})["run_id"] == "other-run-123456"
    lock.release()


def test_the_same_process_cannot_take_a_lock_twice(tmp_path):
    first = FileLock(tmp_path / "l")
    first.acquire()
    with pytest.raises(LockHeld):
        FileLock(tmp_path / "l").acquire()
    first.release()
    again = FileLock(tmp_path / "l")
    again.acquire()
    again.release()


def test_only_folders_whose_owner_is_gone_are_swept(tmp_path):
    live, dead, fresh, old = (tmp_path / name for name in ("live", "dead", "fresh", "old"))
    for folder in (live, dead, fresh, old):
        folder.mkdir()
    holder = _hold_in_another_process(live / ".owner.lock")
    dead_owner = _hold_in_another_process(dead / ".owner.lock")
    dead_owner.kill()
    dead_owner.wait()
    long_ago = time.time() - UNLOCKED_FOLDER_GRACE_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    try:
        assert not is_orphan(live) and is_orphan(dead)
        assert not is_orphan(fresh), "a folder without a lock yet may be being created right now"
        assert sorted(sweep_orphans(tmp_path)) == ["dead", "old"]
        assert live.exists() and fresh.exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_build_is_never_reused_and_a_live_build_is_never_swept(tmp_path):
    store = VersionStore(tmp_path / "vetdx.duckdb")
    folder = store.build_path("run-live").parent
    lock = owner_lock(folder)
    lock.acquire({"run_id": "run-live"})
    build = store.start_build("run-live")
    with pytest.raises(Exception, match="never reused"):
        store.start_build("run-live")
    assert store.sweep_stale_builds() == []
    assert build.exists()
    lock.release()
    assert store.sweep_stale_builds() == ["run-live"]
    assert not folder.exists()


def test_a_sweeper_probing_a_folder_never_makes_its_owner_fail_to_lock_it(tmp_path):
    """Another warehouse's refresh sweeping the shared staged-seeds folder takes each owner lock for an
    instant to see whether its owner lives; an owner locking at that instant must still get it."""
    folder = tmp_path / "run-starting"
    folder.mkdir()
    owner_lock(folder).acquire()  # leaves the lock file behind, free: the probe has something to take
    owner_lock(folder).release()
    stop = threading.Event()
    probes = 0

    def probe() -> None:
        nonlocal probes
        while not stop.is_set():
            is_orphan(folder)
            probes += 1

    sweeper = threading.Thread(target=probe)
    sweeper.start()
    try:
        for _ in range(300):
            lock = owner_lock(folder)
            lock.acquire({"run_id": "starting"})  # without the retry, LockHeld within 300 tries
            lock.release()
    finally:
        stop.set()
        sweeper.join()
    assert probes > 300


def test_a_folder_its_owner_removes_while_a_sweeper_looks_is_not_an_error(tmp_path):
    """A refresh of another warehouse ends and removes its staged seeds between this sweep's listing
    and its probe: the probe says "not an orphan" and the sweep goes on (it raised before)."""
    assert is_orphan(tmp_path / "ended-run") is False
    live = tmp_path / "live"
    held = owner_lock(live)
    held.acquire()
    assert sweep_orphans(tmp_path) == []
    held.release()
    assert sweep_orphans(tmp_path) == ["live"]

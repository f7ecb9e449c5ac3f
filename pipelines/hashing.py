"""The one content hash of the project: raw files (lineage), published versions, export files."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_BLOCK = 1 << 20  # 1 MiB reads: hashing runs at disk speed (~1 GB/s here) in constant memory


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_of_files(paths: Sequence[Path]) -> list[str]:
    """`sha256_of` each path, in order, on every usable core: hashlib lets go of the GIL while it
    hashes a block, so threads run side by side (the benchmark's 469 inventory files, 833 MiB:
    2.7 s -> 1.4 s on 2 cores)."""
    workers = min(len(os.sched_getaffinity(0)), len(paths))
    if workers <= 1:
        return [sha256_of(p) for p in paths]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(sha256_of, paths))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

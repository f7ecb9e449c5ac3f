"""The one content hash of the project: raw files (lineage), published versions, export files."""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 1 << 20  # 1 MiB reads: hashing runs at disk speed (~1 GB/s here) in constant memory


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""Is this path a whole DuckDB database file? Cheap checks before opening, a full sha256 on demand.

A DuckDB (storage 1.x) file starts with three 4096-byte headers: the main header (a checksum, then the
magic bytes `DUCK` at offset 8) and two database headers written alternately at each checkpoint; the
newer one (higher `iteration`) holds `block_count` and `block_alloc_size`. The file therefore holds at
least 3 x 4096 + block_count x block_alloc_size bytes (the sample warehouse: 12,288 + 55 x 262,144 =
14,430,208 bytes, exactly its size). Reading those 12 KB costs well under a millisecond, so every
`vetdx sql` checks them; hashing the whole file (seconds on a large warehouse) is left to
`vetdx versions`, through `damage()` with the sha256 recorded at publish.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from pipelines.hashing import sha256_of

HEADER_BYTES = 4096
HEADERS = 3
MAGIC = b"DUCK"
MAGIC_OFFSET = 8
# Database header after its 8-byte checksum: iteration, meta_block, free_list, block_count,
# block_alloc_size (little-endian uint64 each; DuckDB's DatabaseHeader::Write).
_DB_HEADER = struct.Struct("<QQQQQ")


@dataclass(frozen=True)
class FileShape:
    size: int
    expected_size: int  # what the newest database header declares


def read_shape(path: Path) -> FileShape | None:
    """The declared and actual size of a DuckDB file, or None when it is not one (no magic bytes)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEADER_BYTES * HEADERS)
    if len(head) < MAGIC_OFFSET + len(MAGIC) or head[MAGIC_OFFSET : MAGIC_OFFSET + len(MAGIC)] != MAGIC:
        return None
    if len(head) < HEADER_BYTES * HEADERS:
        return FileShape(size, HEADER_BYTES * HEADERS)
    newest = max(
        (_DB_HEADER.unpack_from(head, offset + 8) for offset in (HEADER_BYTES, 2 * HEADER_BYTES)),
        key=lambda header: header[0],
    )
    block_count, block_alloc_size = newest[3], newest[4]
    return FileShape(size, HEADER_BYTES * HEADERS + block_count * block_alloc_size)


def problem(path: Path) -> str | None:
    """Why `path` cannot be opened as a warehouse, in words for one line; None when it looks whole."""
    if not path.exists():
        return "does not exist"
    if path.is_dir():
        return "is a folder, not a DuckDB file"
    try:
        shape = read_shape(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if shape is None:
        return "is not a DuckDB database file"
    if shape.size < shape.expected_size:
        return f"is truncated: {shape.size:,} bytes of the {shape.expected_size:,} its header declares"
    return None


def damage(path: Path, recorded_sha256: str | None = None) -> str | None:
    """What is wrong with a kept version or published file, or None when intact.

    With the sha256 recorded at publish the check is exact; without one only the shape is checked.
    """
    found = problem(path)
    if found is not None:
        return found
    if recorded_sha256 and sha256_of(path) != recorded_sha256.lower():
        return "does not match the sha256 recorded at publish"
    return None


def is_published_store(path: Path) -> bool:
    """True when `path` is the published file of a version store (CURRENT beside it): rollback helps."""
    return (path.parent / "CURRENT").is_file() or (path.parent / "versions").is_dir()


def restore_hint(path: Path) -> str:
    if is_published_store(path):
        return "run `vetdx rollback` to publish the newest intact version (`vetdx versions` lists them)"
    return "restore the file from a copy, or point --warehouse at the published warehouse"

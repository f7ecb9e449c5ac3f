"""Independent, reproducible random streams: one per (seed, purpose), never Python's salted hash()."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *key: object) -> np.random.Generator:
    # crc32 of the key is stable across processes, so each file's content depends only on the seed and
    # its own key: adding a country or a source does not shift every other file.
    return np.random.default_rng([seed, zlib.crc32("|".join(map(str, key)).encode())])

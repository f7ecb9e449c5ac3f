"""The key of the keyed hash of respondents' identity (`pii.identity_hash`): where it comes from.

In order: `VETDX_PII_KEY`; else the key file next to the warehouse (`<warehouse>.pii-key`, owner-only);
else, for the bundled synthetic sample (its raw folder holds the generator's marker), the built-in
development key, so the sample builds with no setup; else a random key generated into that file on
first use. The same file is read by every later refresh, so respondent keys stay joinable between
versions. Real data is never hashed with the development key: that is refused with one line.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from pipelines.labels import SAMPLE_MARKER
from pipelines.settings import DEV_PII_KEY, ENV_PII_KEY

KEY_SUFFIX = ".pii-key"
MIN_KEY_CHARS = 32  # 128 bits as hex; a generated key has 64 hex characters (256 bits)


class KeyRefused(ValueError):
    """No key may be used: one line for a person, naming the variable or file to fix."""


@dataclass(frozen=True)
class PiiKey:
    key: bytes
    origin: str  # environment | file | generated | development
    note: str | None = None  # said once, when the key file was just generated


def key_file_for(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + KEY_SUFFIX)


def is_sample(raw_dir: Path) -> bool:
    return (raw_dir / SAMPLE_MARKER).exists()


def _read_key_file(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyRefused(
            f"personal-data key file {path} can be read by other users (mode {mode:o}); "
            f"run `chmod 600 {path}` and refresh again"
        )
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_KEY_CHARS or key == DEV_PII_KEY:
        raise KeyRefused(
            f"personal-data key file {path} holds no usable key (at least {MIN_KEY_CHARS} characters, "
            "not the development key)"
        )
    return key.encode()


def _generate(path: Path) -> bytes:
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two refreshes starting at once cannot both write a key; mode 0600 from the start, so
    # the key is never readable by others, not even between open and chmod.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key.encode()


def resolve_key(env_key: str | None, raw_dir: Path, warehouse: Path) -> PiiKey:
    """The key a refresh of `raw_dir` into `warehouse` hashes identities with."""
    sample = is_sample(raw_dir)
    if env_key:
        if env_key == DEV_PII_KEY and not sample:
            raise KeyRefused(
                f"{ENV_PII_KEY} is the built-in development key and {raw_dir} is not the synthetic "
                f"sample: set {ENV_PII_KEY} to a secret of your own, or unset it to have one generated"
            )
        if len(env_key) < MIN_KEY_CHARS and not sample:
            raise KeyRefused(f"{ENV_PII_KEY} is shorter than {MIN_KEY_CHARS} characters")
        return PiiKey(env_key.encode(), "environment")
    path = key_file_for(warehouse)
    if path.exists():
        return PiiKey(_read_key_file(path), "file")
    if sample:
        return PiiKey(DEV_PII_KEY.encode(), "development")
    try:
        key = _generate(path)
    except FileExistsError:  # another refresh generated it a moment ago
        return PiiKey(_read_key_file(path), "file")
    return PiiKey(
        key,
        "generated",
        f"generated a personal-data key in {path} (owner-only); keep it with the warehouse and back "
        f"it up: respondent keys made with another key do not join ({ENV_PII_KEY} overrides it)",
    )

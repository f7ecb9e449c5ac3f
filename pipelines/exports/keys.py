"""Content keys of export outputs: what an output is drawn from, hashed, so an unchanged one is reused.

A key covers everything that decides an output's bytes: the exact values it draws (the arguments of
its figure or page, as rows), the language, and the renderer, i.e. the source of `pipelines/exports`
(templates included) and `pipelines/i18n` (labels) plus the versions of the libraries that lay the
output out. Two outputs with one key are the same bytes, so a file of an earlier export set whose key
and checksum match is copied instead of being drawn again (`build.py`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

import polars as pl

# Figures are drawn rounded to 9 decimals. The marts' floats carry summation noise from build to build
# (DuckDB's parallel sums: ~1e-14 on scores of 0-100, seen in countries a one-file change never
# touched), which no output shows (they show at most 6 decimals) but which would change every exact
# key; drawing the rounded values keeps the key exact and the noise out of the files.
DRAWN_DECIMALS = 9
_PACKAGES = ("exports", "i18n")  # under pipelines/: everything that lays an output out
_LIBRARIES = ("matplotlib", "numpy", "jinja2", "polars", "xlsxwriter")


@cache
def renderer_key() -> str:
    """Hash of the rendering code, its labels and templates, and the layout libraries' versions."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for package in _PACKAGES:
        files = (p for p in (root / package).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in sorted(files):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}\0".encode())
    digest.update(f"python={sys.version_info[0]}.{sys.version_info[1]}".encode())
    return digest.hexdigest()


def drawn(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its float columns rounded to DRAWN_DECIMALS: the values a chart or page draws."""
    floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    return frame.with_columns(pl.col(floats).round(DRAWN_DECIMALS)) if floats else frame


def canonical(value: object) -> object:
    """A value as plain nested tuples, exact for floats (repr round-trips), for hashing.

    A frame is its schema and its rows in order; a dataclass its fields; a dict its items in order
    (orders are part of what is drawn)."""
    if isinstance(value, pl.DataFrame):
        return ("frame", tuple(value.columns), tuple(str(d) for d in value.dtypes), tuple(value.rows()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *((f.name, canonical(getattr(value, f.name))) for f in fields))
    if isinstance(value, dict):
        return ("dict", tuple((canonical(k), canonical(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("seq", tuple(canonical(v) for v in value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"no canonical form for {type(value).__name__}")


def content_key(kind: str, *parts: object) -> str:
    """sha256 of the renderer, the output's kind and what it draws."""
    text = repr((renderer_key(), kind, canonical(parts)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""Map a file's headers onto canonical column names through multilingual synonym lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipelines.ingest.text import fold


def map_headers(headers: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """canonical name -> header in the file (first header matching one of its synonyms)."""
    folded = {h: fold(h) for h in headers}
    out: dict[str, str] = {}
    for canonical, names in synonyms.items():
        wanted = {fold(n) for n in (canonical, *names)}
        for header, key in folded.items():
            if key in wanted and header not in out.values():
                out[canonical] = header
                break
    return out


def vocabulary(synonyms: Mapping[str, Sequence[str]]) -> frozenset[str]:
    return frozenset(fold(n) for canonical, names in synonyms.items() for n in (canonical, *names))

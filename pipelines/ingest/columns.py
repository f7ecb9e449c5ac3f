"""Map a file's headers onto canonical column names through multilingual synonym lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipelines.ingest.text import fold


def map_headers(headers: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """canonical name -> header in the file.

    Synonyms are ranked: the header matching the earliest synonym wins, whatever its position in
    the file. Lists name codes before names ("series code" before "series"), so a DataBank export
    with both `Series` and `Series Code` reads the code (issue 12: 0 of 1,904 rows landed when the
    leftmost header won). The canonical name itself ranks last: "Indicator" is a label next to
    UIS's "EDULIT_IND" code. A header serves one canonical column only.
    """
    folded = {h: fold(h) for h in headers}
    out: dict[str, str] = {}
    for canonical, names in synonyms.items():
        for wanted in dict.fromkeys(fold(n) for n in (*names, canonical)):
            header = next((h for h, key in folded.items() if key == wanted and h not in out.values()), None)
            if header is not None:
                out[canonical] = header
                break
    return out


def vocabulary(synonyms: Mapping[str, Sequence[str]]) -> frozenset[str]:
    return frozenset(fold(n) for canonical, names in synonyms.items() for n in (canonical, *names))

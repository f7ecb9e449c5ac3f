"""Multilingual synonyms: the spellings a file may use for a column or a value, as data.

The spellings live in `synonyms.csv` (vocabulary, canonical, spelling), shipped as package data, so a
new spelling of a header ("Código del país") is one row added there, not a code change. A
vocabulary is one table of a source parser (`official.columns`, `institutions.measures`,
`inventory.connectivity_types` ...). Row order is meaning: canonical names keep the order of their
first row (a header serves the first canonical that claims it) and a canonical's spellings are
ranked in file order (`map_headers`: the header matching the earliest spelling wins). Spellings are
compared through `text.fold`, so case, accents, Arabic diacritics and punctuation need no extra rows.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

from pipelines.ingest.vocab.text import fold

DATA_FILE = "synonyms.csv"
FIELDS = ("vocabulary", "canonical", "spelling")


def parse_rows(text: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """vocabulary -> canonical -> spellings, in file order; a malformed row names its line."""
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != FIELDS:
        raise ValueError(f"{DATA_FILE}: the header must be {','.join(FIELDS)}, not {reader.fieldnames}")
    out: dict[str, dict[str, list[str]]] = {}
    for row in reader:
        cells = [(row.get(f) or "").strip() for f in FIELDS]
        if not all(cells) or None in row:
            raise ValueError(f"{DATA_FILE} line {reader.line_num}: needs exactly {', '.join(FIELDS)}")
        vocabulary, canonical, spelling = cells
        out.setdefault(vocabulary, {}).setdefault(canonical, []).append(spelling)
    return {v: {c: tuple(s) for c, s in table.items()} for v, table in out.items()}


@cache
def _all() -> dict[str, dict[str, tuple[str, ...]]]:
    # Read once per process (the parse workers read it once each).
    text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_rows(text)


def synonyms(vocabulary: str) -> dict[str, tuple[str, ...]]:
    """canonical -> ranked spellings of one vocabulary; an unknown name is a bug, so it raises."""
    return dict(_all()[vocabulary])


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
    """Every folded spelling and canonical name: the words that mark a header row."""
    return frozenset(fold(n) for canonical, names in synonyms.items() for n in (canonical, *names))


def lookup(synonyms: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Folded spelling -> canonical value, for reading cells (a spelling names one value: the first)."""
    out: dict[str, str] = {}
    for canonical, names in synonyms.items():
        for name in names:
            out.setdefault(fold(name), canonical)
    return out

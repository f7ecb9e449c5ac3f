"""Country and year taken from a file's path or title rows when the rows do not carry them.

`AZE_2025_equipment.csv`, `inventory/AZE/2025/schools.xlsx`, a title "Azerbaijan - VET statistics
2024": the file name is tried first, then folders from the deepest up. Years are 2000-2099 only, so
version numbers and ids ("v3", "12345") are not mistaken for years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from pipelines.ingest.vocab.countries import CountryResolver
from pipelines.ingest.vocab.text import DIGITS

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_TOKEN = re.compile(r"[^\W_]+")


def _parts(display_name: str) -> list[str]:
    path = PurePosixPath(display_name.replace("\\", "/"))
    return [path.stem, *reversed(path.parent.parts)]


def year_in(texts: Iterable[str]) -> int | None:
    for text in texts:
        m = _YEAR.search(text.translate(DIGITS))
        if m:
            return int(m.group(1))
    return None


def country_in(texts: Iterable[str], countries: CountryResolver) -> str | None:
    """The first text that is a country, else the first word or word pair of a text that is one."""
    texts = list(texts)
    for text in texts:
        found = countries.resolve(text)
        if found:
            return found
    for text in texts:
        words = _TOKEN.findall(text)
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                found = countries.resolve(" ".join(words[i : i + n]))
                if found:
                    return found
    return None


def year_from_path(display_name: str) -> int | None:
    return year_in(_parts(display_name))


def country_from_path(display_name: str, countries: CountryResolver) -> str | None:
    return country_in(_parts(display_name), countries)

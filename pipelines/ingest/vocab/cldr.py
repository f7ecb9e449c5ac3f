"""Country names in the languages ministries write, from CLDR (the Unicode Common Locale Data
Repository, shipped by `babel`): "Кыргызстан", "Kirghizistan", "قرغيزستان", "Kırgızistan" ...

A name joins the resolver only when it denotes one territory in every language read, and that
territory is a member: a wrong match is worse than none. CLDR's territory names are unambiguous
across these 25 languages (4,377 distinct folded names, none shared by two territories, checked by
tests/ingest/test_cldr_names.py), and region names ("Afrique", "Asia") map to numeric regions,
so they never resolve to a member.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from babel import Locale

from pipelines.ingest.vocab.text import fold

# The official and working languages of the 57 members and of the UN, plus the languages their
# ministries' statistics offices publish in (Persian, Urdu, Pashto, Bengali, Malay ...).
LANGUAGES = (
    "ar", "en", "fr", "ru", "zh", "es", "pt", "de", "tr", "fa", "ur", "ps", "bn", "ms", "id",
    "uz", "kk", "ky", "tg", "tk", "az", "sq", "so", "ha", "sw",
)  # fmt: skip


@lru_cache(maxsize=4)
def territory_names(languages: tuple[str, ...] = LANGUAGES) -> Mapping[str, frozenset[str]]:
    """Folded territory name -> the CLDR territory codes (ISO2 or UN M49 region) it names."""
    seen: dict[str, set[str]] = {}
    for language in languages:
        for code, name in Locale.parse(language).territories.items():
            seen.setdefault(fold(name), set()).add(code)
    return {key: frozenset(codes) for key, codes in seen.items()}


def member_names(iso2_to_iso3: Mapping[str, str], languages: tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """Folded CLDR name -> member ISO3, for the names that denote exactly one territory, a member."""
    out: dict[str, str] = {}
    for key, codes in territory_names(languages).items():
        (code,) = codes if len(codes) == 1 else (None,)
        if code in iso2_to_iso3:
            out[key] = iso2_to_iso3[code]
    return out

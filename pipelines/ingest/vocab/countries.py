"""Resolve whatever a file calls a country to the ISO3 code of an OIC member state.

Keys: ISO3, ISO2, ISO numeric (with or without leading zeros), English/French/Arabic/World Bank names
from countries.csv, every alias of country_aliases.csv and each member's CLDR name in 25 languages
(cldr.py), all compared after `text.fold`
(case, Latin and Arabic diacritics, Arabic letter variants, punctuation). A leading English/French
article ("The Gambia", "Le Niger") is also tried without it.
Aliases whose iso3 is not a member (World Bank aggregates "World", "Arab World"...) are known
non-members: `is_non_member` lets parsers give them their own reason code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipelines.ingest.vocab.cldr import member_names
from pipelines.ingest.vocab.text import fold

_ARTICLE = re.compile(r"^(the|la|le|les|l)\s+")
_CODE = re.compile(r"^[A-Z]{3}$")


def _keys(text: str) -> list[str]:
    key = fold(text)
    keys = [key, _ARTICLE.sub("", key)]
    if key.isdigit():
        keys.append(str(int(key)))
    elif re.fullmatch(r"\d+ 0", key):  # "31.0" from a spreadsheet numeric cell
        keys.append(str(int(key.split()[0])))
    return keys


@dataclass(frozen=True)
class CountryResolver:
    members: Mapping[str, str]  # folded key -> iso3
    non_members: Mapping[str, str]  # folded key -> aggregate / non-member code

    @classmethod
    def from_rows(
        cls, countries: Iterable[Mapping[str, str]], aliases: Iterable[Mapping[str, str]]
    ) -> CountryResolver:
        countries = list(countries)
        members: dict[str, str] = {}
        for row in countries:
            iso3 = row["iso3"].strip().upper()
            for col in ("iso3", "iso2", "iso_numeric", "name_en", "name_fr", "name_ar", "wb_name"):
                value = (row.get(col) or "").strip()
                if value:
                    members.setdefault(_keys(value)[0], iso3)
                    if col == "iso_numeric" and value.isdigit():
                        members.setdefault(str(int(value)), iso3)
        non_members: dict[str, str] = {}
        for row in aliases:
            iso3 = row["iso3"].strip().upper()
            target = members if iso3 in members.values() else non_members
            target.setdefault(_keys(row["alias"])[0], iso3)
        # CLDR names in 25 languages; the seeds win, and a name the seeds give to another country
        # or to an aggregate is left out rather than guessed.
        iso2 = {(row.get("iso2") or "").strip().upper(): row["iso3"].strip().upper() for row in countries}
        for key, iso3 in member_names({k: v for k, v in iso2.items() if k}).items():
            if key not in non_members:
                members.setdefault(key, iso3)
        return cls(members, non_members)

    def resolve(self, text: str | None) -> str | None:
        if not text or not text.strip():
            return None
        return next((self.members[k] for k in _keys(text) if k in self.members), None)

    def is_non_member(self, text: str | None) -> bool:
        """A recognised aggregate/non-member name, or a code-like `ABC` that is no member's ISO3."""
        if not text or self.resolve(text):
            return False
        return any(k in self.non_members for k in _keys(text)) or bool(_CODE.match(text.strip()))

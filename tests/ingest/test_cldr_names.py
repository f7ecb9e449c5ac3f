"""Every member's name in every one of the 25 CLDR languages resolves to that member, and no CLDR
name of a non-member or a region resolves to one (issue 12, point 7). The names come from babel's
CLDR data at test time, not from a copied list."""

from __future__ import annotations

import csv

from babel import Locale

from pipelines.ingest.context import ParseContext
from pipelines.ingest.vocab.cldr import LANGUAGES, territory_names
from tests.ingest.conftest import SEEDS


def _members() -> dict[str, str]:
    with (SEEDS / "countries.csv").open(encoding="utf-8-sig") as fh:
        return {row["iso2"]: row["iso3"] for row in csv.DictReader(fh)}


def test_every_members_cldr_name_resolves(ctx: ParseContext) -> None:
    members = _members()
    assert len(members) == 57 and len(LANGUAGES) == 25
    wrong = {}
    for language in LANGUAGES:
        names = Locale.parse(language).territories
        for iso2, iso3 in members.items():
            got = ctx.countries.resolve(names[iso2])
            if got != iso3:
                wrong[(language, names[iso2])] = (iso3, got)
    assert wrong == {}
    # The example, and a few a ministry really writes.
    assert ctx.countries.resolve("Кыргызстан") == "KGZ"
    assert ctx.countries.resolve("Kırgızistan") == "KGZ"
    assert ctx.countries.resolve("Киргизия") == "KGZ"
    assert ctx.countries.resolve("Қырғызстан") == "KGZ"


def test_no_cldr_name_of_a_non_member_resolves_to_a_member(ctx: ParseContext) -> None:
    members = _members()
    leaks = {
        key: sorted(codes)
        for key, codes in territory_names().items()
        if not codes & members.keys() and ctx.countries.resolve(key) is not None
    }
    assert leaks == {}
    # Region names are regions (CLDR numeric codes), never a member.
    assert ctx.countries.resolve("Afrique") is None
    assert ctx.countries.resolve("Asia") is None


def test_cldr_names_are_unambiguous_across_the_languages() -> None:
    shared = {key: sorted(codes) for key, codes in territory_names().items() if len(codes) > 1}
    members = _members()
    assert {k: v for k, v in shared.items() if set(v) & members.keys()} == {}

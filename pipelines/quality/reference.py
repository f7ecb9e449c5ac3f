"""Reference sets the suites check against: country codes, codebook units, catalogue codes.

Built once per run from the run's seeds (`pipelines.seeds.read_seeds` of the composed folder), the
very rows dbt loads into `reference.*`: raw tables are checked before dbt runs, and a copy of the
previous version's `reference.*` would judge a new country's rows against the old list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipelines.seeds import SeedRows

PERCENT_UNITS = ("pct", "percent", "%")  # spellings a catalogue or codebook uses for 0-100 values


@dataclass(frozen=True)
class Reference:
    countries: frozenset[str]
    current_year: int
    percent_questions: frozenset[str] = frozenset()  # survey codebook, unit percent
    count_questions: frozenset[str] = frozenset()  # survey codebook, unit count
    question_codes: frozenset[str] = frozenset()
    item_codes: frozenset[str] = frozenset()  # equipment taxonomy
    indicator_codes: frozenset[str] = frozenset()  # catalogue codes and their official source codes
    percent_indicators: frozenset[str] = frozenset()


def load_reference(seeds: Mapping[str, SeedRows], current_year: int | None = None) -> Reference:
    countries = seeds.get("countries")
    if not countries:
        raise FileNotFoundError("the run's seeds have no countries.csv (or it is empty)")
    codebook = seeds.get("survey_codebook", [])
    taxonomy = seeds.get("equipment_taxonomy", [])
    catalogue = seeds.get("indicator_catalogue", [])
    percent_nodes = [r for r in catalogue if (r.get("unit") or "").lower() in PERCENT_UNITS]
    return Reference(
        countries=frozenset(r["iso3"] for r in countries if r.get("iso3")),
        current_year=current_year or dt.date.today().year,
        percent_questions=_codes(r for r in codebook if (r.get("unit") or "").lower() in PERCENT_UNITS),
        count_questions=_codes(r for r in codebook if (r.get("unit") or "").lower() == "count"),
        question_codes=frozenset(r["question_code"] for r in codebook if r.get("question_code")),
        item_codes=frozenset(r["item_code"] for r in taxonomy if r.get("item_code")),
        indicator_codes=_codes(catalogue),
        percent_indicators=_codes(percent_nodes),
    )


def _codes(rows: Iterable[dict]) -> frozenset[str]:
    """Codebook `question_code`, or catalogue `code` plus its `source_code` (files may use either)."""
    out: set[str] = set()
    for row in rows:
        for key in ("question_code", "code", "source_code"):
            if row.get(key):
                out.add(str(row[key]))
    return frozenset(out)

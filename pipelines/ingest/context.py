"""Everything a parser needs besides the file: reference data read once from the seeds folder."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingest.codebook import Codebook
from pipelines.ingest.countries import CountryResolver
from pipelines.ingest.equipment import EquipmentTaxonomy
from pipelines.ingest.limits import Limits
from pipelines.ingest.rules import percent_indicators, this_year


def read_seed(path: Path) -> list[dict[str, str]]:
    """Rows of a seed CSV; an absent file is an empty seed (the parser then rejects what needs it)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def catalogue_lookup(rows: list[dict[str, str]]) -> dict[str, str]:
    """Indicator code and its optional official `source_code` -> catalogue code (case-insensitive)."""
    out: dict[str, str] = {}
    for row in rows:
        code = row.get("code", "")
        if not code:
            continue
        out[code.casefold()] = code
        if row.get("source_code"):
            out[row["source_code"].casefold()] = code
    return out


@dataclass(frozen=True)
class ParseContext:
    codebook: Codebook
    countries: CountryResolver
    equipment: EquipmentTaxonomy
    catalogue_codes: Mapping[str, str]  # casefolded code or source_code -> catalogue code
    pii_key: bytes
    percent_indicators: frozenset[str] = frozenset()  # catalogue codes whose values are 0-100 shares
    current_year: int = field(default_factory=this_year)  # the reference period ends the year after
    limits: Limits = field(default_factory=Limits.from_env)  # file size limits (limits.py)

    @property
    def choices(self) -> Mapping[str, tuple]:
        return self.codebook.choices

    @classmethod
    def from_seeds(cls, seeds_dir: Path, pii_key: bytes) -> ParseContext:
        catalogue = read_seed(seeds_dir / "indicator_catalogue.csv")
        return cls(
            codebook=Codebook.from_rows(
                read_seed(seeds_dir / "survey_codebook.csv"), read_seed(seeds_dir / "survey_choices.csv")
            ),
            countries=CountryResolver.from_rows(
                read_seed(seeds_dir / "countries.csv"), read_seed(seeds_dir / "country_aliases.csv")
            ),
            equipment=EquipmentTaxonomy.from_rows(read_seed(seeds_dir / "equipment_taxonomy.csv")),
            catalogue_codes=catalogue_lookup(catalogue),
            pii_key=pii_key,
            percent_indicators=percent_indicators(catalogue),
        )

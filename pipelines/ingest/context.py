"""Everything a parser needs besides the file: reference data read once from the seeds folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipelines.collect.mapping import SEED_NAME as FORM_MAPPINGS_SEED
from pipelines.collect.mapping import FormMapping, FormMappings
from pipelines.ingest.readers.limits import Limits
from pipelines.ingest.rows.rules import percent_indicators, this_year
from pipelines.ingest.sources.survey_columns import is_header_word
from pipelines.ingest.vocab.codebook import Codebook
from pipelines.ingest.vocab.countries import CountryResolver
from pipelines.ingest.vocab.equipment import EquipmentTaxonomy
from pipelines.seeds import SeedRows, read_seeds

# The seeds a parser reads: the ingest assets depend on exactly these in the lineage graph.
SEEDS_READ_BY_PARSERS = (
    "countries",
    "country_aliases",
    "survey_codebook",
    "survey_choices",
    "equipment_taxonomy",
    "indicator_catalogue",
)


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
    # A `denominator` may be any official series code (SP.POP.TOTL): such a series is accepted as
    # itself without being an indicator (int_denominators_derived reads it by its own code).
    for row in rows:
        denominator = row.get("denominator", "")
        if denominator and denominator.casefold() not in out:
            out[denominator.casefold()] = denominator
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
    limits: Limits = field(default_factory=Limits)  # file size limits (readers/limits.py)
    # National forms' columns and choices onto codebook questions (pipelines/collect/mapping.py).
    form_mappings: FormMappings = field(default_factory=FormMappings)
    # Header-row search asks "is this cell a survey header?" of every cell of a file's first rows:
    # 237k questions for the 262 survey exports of the benchmark, nearly all repeats across files
    # of one form (9.6 s of a 33 s survey ingest before this memo). The answer depends only on the
    # cell, the codebook and the forms, all fixed for the context's life.
    _survey_header_words: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_survey_header_word(self, cell: str) -> bool:
        known = self._survey_header_words.get(cell)
        if known is None:
            known = is_header_word(cell, self.codebook, self._survey_header_forms)
            self._survey_header_words[cell] = known
        return known

    @cached_property
    def _survey_header_forms(self) -> tuple[FormMapping, ...]:
        return self.form_mappings.header_forms()

    @property
    def choices(self) -> Mapping[str, tuple]:
        return self.codebook.choices

    @classmethod
    def from_seed_rows(
        cls, seeds: Mapping[str, SeedRows], pii_key: bytes, limits: Limits | None = None
    ) -> ParseContext:
        """From the run's seeds, read once by its setup (an absent seed is an empty one)."""
        codebook = Codebook.from_rows(seeds.get("survey_codebook", []), seeds.get("survey_choices", []))
        return cls(
            codebook=codebook,
            countries=CountryResolver.from_rows(seeds.get("countries", []), seeds.get("country_aliases", [])),
            equipment=EquipmentTaxonomy.from_rows(seeds.get("equipment_taxonomy", [])),
            catalogue_codes=catalogue_lookup(seeds.get("indicator_catalogue", [])),
            pii_key=pii_key,
            percent_indicators=percent_indicators(seeds.get("indicator_catalogue", [])),
            form_mappings=FormMappings.from_rows(seeds.get(FORM_MAPPINGS_SEED, []), codebook),
            limits=limits or Limits(),
        )

    @classmethod
    def from_seeds(cls, seeds_dir: Path, pii_key: bytes) -> ParseContext:
        return cls.from_seed_rows(read_seeds(seeds_dir), pii_key)

"""Country profiles: a latent digital-readiness level and the habits of each country's senders.

Readiness (0-1) is anchored on the income group and improves every round, so the gap indices built
from the sample vary the way real ones would (richer members ahead, everyone slowly closing gaps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.sample import reference
from pipelines.sample.rng import stream
from pipelines.sample.scale import Scale

INCOME_READINESS = {
    "Low income": 0.18,
    "Lower middle income": 0.36,
    "Upper middle income": 0.54,
    "High income": 0.72,
}
FRANCOPHONE = {
    "BEN",
    "BFA",
    "CMR",
    "TCD",
    "COM",
    "CIV",
    "DJI",
    "GAB",
    "GIN",
    "GNB",
    "MLI",
    "MRT",
    "NER",
    "SEN",
    "TGO",
    "DZA",
    "MAR",
    "TUN",
    "LBN",
}
# Spellings seen in real exports besides the seed's name_en/name_fr/name_ar/wb_name/iso2/iso3.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "TUR": ("Turkey", "Turkiye"),
    "CIV": ("Cote d'Ivoire", "Ivory Coast"),
    "GMB": ("The Gambia",),
    "IRN": ("Iran",),
    "PSE": ("Palestine",),
    "SYR": ("Syria",),
    "BRN": ("Brunei",),
    "OMN": ("عمان",),  # name_ar without the damma
    "EGY": ("Egypt",),
}
AZE_READINESS = 0.58  # the national report describes a system well into its digital transition


@dataclass(frozen=True)
class Profile:
    iso3: str
    country: dict[str, str]  # the countries.csv row
    lang: str  # main language of the country's files: en | fr | ar
    base: float  # latent readiness 0-1 in 2025
    slope: float  # yearly improvement
    n_institutions: int

    def level(self, year: int) -> float:
        """Latent digital readiness (0-1) in `year`."""
        return float(np.clip(self.base + self.slope * (year - 2025), 0.05, 0.95))

    def spellings(self, lang: str) -> tuple[str, ...]:
        c = self.country
        extra = EXTRA_ALIASES.get(self.iso3, ())
        if lang == "fr":
            return (c["name_fr"], c["name_fr"], c["iso3"])
        if lang == "ar":
            return (c["name_ar"], c["name_ar"], *[a for a in extra if not a.isascii()])
        return (c["name_en"], c["wb_name"], c["iso3"], c["iso2"], *[a for a in extra if a.isascii()])


def _institution_counts(scale: Scale, seed: int, isos: list[str]) -> dict[str, int]:
    rng = stream(seed, "institution_counts", scale.name)
    weights = rng.lognormal(0.0, 0.9, len(isos))
    if scale.total_institutions is None:
        counts = np.clip(np.round(weights * 22), 8, 70).astype(int)
    else:
        # Largest-remainder split so the scale's total is exact, Azerbaijan's 79 included.
        rest = scale.total_institutions - 79
        share = weights / weights.sum() * rest
        counts = np.floor(share).astype(int)
        counts[np.argsort(-(share - counts))[: rest - counts.sum()]] += 1
    out = dict(zip(isos, counts.tolist(), strict=True))
    if scale.total_institutions is not None:
        # AZE kept its share above; hand it to the largest country so the total stays exact.
        biggest = max((i for i in isos if i != "AZE"), key=lambda i: out[i])
        out[biggest] += out["AZE"]
    out["AZE"] = 79
    return out


def build_profiles(scale: Scale, seed: int) -> list[Profile]:
    rows = reference.countries()
    isos = [r["iso3"] for r in rows]
    sizes = _institution_counts(scale, seed, isos)
    profiles = []
    for row in rows:
        iso3 = row["iso3"]
        rng = stream(seed, "profile", iso3)
        base = AZE_READINESS if iso3 == "AZE" else INCOME_READINESS[row["income_group"]] + rng.normal(0, 0.07)
        slope = float(rng.uniform(0.015, 0.05))
        lang = "fr" if iso3 in FRANCOPHONE else "ar" if row["oic_group"] == "Arab" else "en"
        profiles.append(Profile(iso3, row, lang, float(base), slope, sizes[iso3]))
    return profiles

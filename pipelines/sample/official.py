"""Official series (official/): a tidy ITU/UIS extract and a World Bank DataBank wide export."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipelines.sample.profiles import Profile
from pipelines.sample.rng import stream
from pipelines.sample.writers import UTF8, Cell, TextStyle, write_text

YEARS = tuple(range(2019, 2026))
# code -> (source, value at readiness 0, value at readiness 1, noise sd)
TIDY = {
    "itu_internet_users_pct": ("ITU", 8.0, 99.0, 4.0),
    "uis_sdg4a1_internet_pct": ("UNESCO UIS", 3.0, 98.0, 8.0),
    "uis_sdg441_ict_skills_pct": ("UNESCO UIS", 1.0, 65.0, 5.0),
    "uis_sdg433_tvet_participation_pct": ("UNESCO UIS", 0.8, 14.0, 2.5),
}
WDI = {
    "IT.NET.BBND.P2": ("Fixed broadband subscriptions (per 100 people)", 0.05, 40.0, 1.5),
    "EG.ELC.ACCS.ZS": ("Access to electricity (% of population)", 25.0, 100.0, 5.0),
    "SE.XPD.TOTL.GD.ZS": ("Government expenditure on education, total (% of GDP)", 2.0, 5.5, 0.8),
}
WDI_AGGREGATES = (("Arab World", "ARB", 0.45), ("World", "WLD", 0.5))  # not members: parsers must skip
DATABANK = TextStyle(encoding="utf-8-sig", newline="\r\n", quote_all=True)
DATABANK_FOOTER = ("", "Data from database: World Development Indicators", "Last Updated: 10/15/2025")
NOTES = ("", "", "", "estimate", "national estimate", "provisional")


def _value(
    rng: np.random.Generator, readiness: float, spec: tuple[float, float, float], offset: float, cap: float
) -> float:
    """A country's persistent offset from the readiness trend plus a little year-to-year noise."""
    low, high, sd = spec
    noisy = low + (high - low) * readiness + offset + rng.normal(0, sd * 0.15)
    return round(float(np.clip(noisy, low / 2, cap)), 2)


def write_tidy(out_dir: Path, profiles: list[Profile], seed: int) -> int:
    rows: list[list[Cell]] = [["country", "year", "indicator", "value", "source", "note"]]
    for p in profiles:
        rng = stream(seed, "official_tidy", p.iso3)
        for code, (source, *spec) in TIDY.items():
            # UIS series are sparser than ITU's and the latest year is rarely published yet.
            coverage = 0.85 if source == "ITU" else 0.6
            offset = rng.normal(0, spec[2])
            for year in YEARS:
                if rng.random() > (coverage * (0.4 if year == 2025 else 1)):
                    continue
                # ITU publishes names, UIS ISO codes: both spellings reach the loader.
                country = p.country["name_en"] if source == "ITU" else p.iso3
                value = _value(rng, p.level(year), tuple(spec), offset, 100.0)  # type: ignore[arg-type]
                rows.append([country, year, code, value, source, NOTES[int(rng.integers(len(NOTES)))]])
    write_text(out_dir / "official" / "itu_uis_indicators.csv", rows, UTF8)
    return len(rows) - 1


def write_wdi(out_dir: Path, profiles: list[Profile], seed: int) -> int:
    header: list[Cell] = [
        "Country Name",
        "Country Code",
        "Series Name",
        "Series Code",
        *[f"{y} [YR{y}]" for y in YEARS],
    ]
    rows: list[list[Cell]] = [header]
    entities = [(p.country["wb_name"], p.iso3, p.level) for p in profiles]
    entities += [(name, code, lambda y, b=base: b + 0.03 * (y - 2025)) for name, code, base in WDI_AGGREGATES]
    for name, code, level in entities:
        rng = stream(seed, "official_wdi", code)
        for series, (label, *spec) in WDI.items():
            cap = 100.0 if series == "EG.ELC.ACCS.ZS" else 60.0
            offset = rng.normal(0, spec[2])
            values: list[Cell] = [
                ".."
                if rng.random() < (0.7 if y == 2025 else 0.12)
                else _value(rng, level(y), tuple(spec), offset, cap)  # type: ignore[arg-type]
                for y in YEARS
            ]
            rows.append([name, code, label, series, *values])
    write_text(out_dir / "official" / "wdi_databank_export.csv", rows, DATABANK, footer=DATABANK_FOOTER)
    return len(rows) - 1

"""Choose, per country-round, the collection tool, container and locale a sender would use, and
write the survey file under survey/<round>/."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.sample.profiles import Profile
from pipelines.sample.rng import stream
from pipelines.sample.scale import Scale
from pipelines.sample.survey_answers import build_country_round
from pipelines.sample.survey_shapes import Render, main_sheet, programmes_sheet
from pipelines.sample.writers import (
    ARABIC_WINDOWS,
    EXCEL_UNICODE_TEXT,
    FRENCH,
    UTF8,
    UTF8_BOM,
    TextStyle,
    write_text,
    write_xlsx,
)

TOOLS = ("kobo", "kobo_labels", "odk", "limesurvey", "plain")
TOOL_WEIGHTS = (0.35, 0.15, 0.15, 0.15, 0.2)
MISSING_RATE = 0.10
# Shapes every sample must contain whatever the seed, so parsers always meet each variant.
FORCED: dict[tuple[str, int], tuple[str, TextStyle | None]] = {
    ("PAK", 2024): ("plain", EXCEL_UNICODE_TEXT),
    ("BGD", 2025): ("plain", EXCEL_UNICODE_TEXT),
    ("JOR", 2025): ("plain", ARABIC_WINDOWS),
    ("IRQ", 2024): ("kobo_labels", None),
    ("SAU", 2025): ("kobo_labels", ARABIC_WINDOWS),
    ("TUN", 2025): ("kobo_labels", None),
    ("SEN", 2025): ("kobo_labels", FRENCH),
    ("CIV", 2024): ("plain", FRENCH),
    ("MYS", 2025): ("limesurvey", UTF8_BOM),
    ("NGA", 2025): ("odk", UTF8),
}


def _choose(profile: Profile, round_: int, seed: int) -> tuple[str, TextStyle | None]:
    """(tool, text style or None for XLSX)."""
    if profile.iso3 == "AZE":
        return "kobo", None
    if (profile.iso3, round_) in FORCED:
        return FORCED[(profile.iso3, round_)]
    habit = stream(seed, "tool", profile.iso3)
    tool = str(habit.choice(TOOLS, p=TOOL_WEIGHTS))
    rng = stream(seed, "tool", profile.iso3, round_)
    if rng.random() < 0.2:  # a new focal point, a new tool
        tool = str(rng.choice(TOOLS))
    if tool == "kobo_labels" and profile.lang == "en":
        tool = "kobo"
    text_roll = rng.random()
    if tool == "kobo" or (tool == "kobo_labels" and text_roll < 0.7):
        return tool, None
    if tool == "kobo_labels":
        return tool, FRENCH if profile.lang == "fr" else ARABIC_WINDOWS
    if tool == "odk":
        return tool, UTF8
    if tool == "limesurvey":
        return tool, UTF8_BOM if text_roll < 0.4 else UTF8
    locale = {"fr": FRENCH, "ar": ARABIC_WINDOWS if text_roll < 0.5 else UTF8_BOM}
    return tool, locale.get(profile.lang, UTF8_BOM if text_roll < 0.3 else UTF8)


def submitted_rounds(profile: Profile, scale: Scale, seed: int) -> list[int]:
    """~10% of country-rounds never arrive; every country keeps at least one round."""
    rng = stream(seed, "missing", profile.iso3)
    keep = [
        r
        for r in scale.rounds
        if profile.iso3 == "AZE" or (profile.iso3, r) in FORCED or rng.random() >= MISSING_RATE
    ]
    return keep or [scale.rounds[-1]]


def write_survey(
    out_dir: Path, profile: Profile, registry: pl.DataFrame, scale: Scale, seed: int
) -> dict[str, int]:
    counts = {"files": 0, "responses": 0, "programmes": 0}
    for round_ in submitted_rounds(profile, scale, seed):
        cr = build_country_round(profile, registry, round_, seed, scale.survey_institutions)
        tool, style = _choose(profile, round_, seed)
        rng = stream(seed, "render", profile.iso3, round_)
        spellings = profile.spellings(profile.lang)
        render = Render(
            kind=tool,
            lang=profile.lang,
            country_text=spellings[int(rng.integers(len(spellings)))],
            pct_style=str(rng.choice(("number", "fraction", "sign"))),
            decimal=style.decimal if style else ".",
        )
        stem = out_dir / "survey" / str(round_) / f"{profile.iso3}_{round_}_{tool}"
        main = main_sheet(cr, render)
        if style is None:
            sheets = [main]
            if tool in ("kobo", "kobo_labels"):
                sheets.append(programmes_sheet(cr, render))
            write_xlsx(stem.with_suffix(".xlsx"), sheets)
        else:
            write_text(stem.with_suffix(style.suffix), main.rows, style)
        counts["files"] += 1
        counts["responses"] += len(cr.responses)
        counts["programmes"] += sum(len(r.programmes) for r in cr.responses) if style is None else 0
    return counts

"""Ministry statistics spreadsheets (institutions/): counts by VET level x ownership, one sheet per
year, with title rows, two-row merged headers, a TOTAL row and the sender's number locale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample.profiles import Profile
from pipelines.sample.registry import students_in
from pipelines.sample.rng import stream
from pipelines.sample.scale import Scale
from pipelines.sample.writers import (
    ARABIC_WINDOWS,
    EXCEL_UNICODE_TEXT,
    FRENCH,
    UTF8,
    Cell,
    Sheet,
    write_text,
    write_xlsx,
)

MEASURES = ("institutions", "students_female", "students_male", "teachers_female", "teachers_male")
TEXT = {
    "en": {
        "title": "Ministry of Education - VET statistics {year}",
        "subtitle": "Institutions, students and teachers by level and ownership",
        "head": ("VET level", "Ownership", "Institutions", "Students", "Teachers"),
        "sex": ("Female", "Male", "Total"),
        "nqf": "Level {d}",
        "isced": "ISCED {d}5",
        "public": "Public",
        "private": "Private",
        "total": "TOTAL",
    },
    "fr": {
        "title": "Ministère de la Formation professionnelle - Statistiques de l'EFTP {year}",
        "subtitle": "Établissements, apprenants et formateurs par niveau et statut",
        "head": ("Niveau", "Statut", "Établissements", "Apprenants", "Formateurs"),
        "sex": ("Filles", "Garçons", "Total"),
        "nqf": "Niveau {d}",
        "isced": "CITE {d}5",
        "public": "Public",
        "private": "Privé",
        "total": "TOTAL",
    },
    "ar": {
        "title": "وزارة التربية - إحصاءات التعليم والتدريب المهني {year}",
        "subtitle": "المؤسسات والطلاب والمعلمون حسب المستوى والقطاع",
        "head": ("المستوى", "القطاع", "عدد المؤسسات", "الطلاب", "المعلمون"),
        "sex": ("إناث", "ذكور", "المجموع"),
        "nqf": "المستوى {d}",
        "isced": "التصنيف الدولي {d}5",
        "public": "حكومي",
        "private": "خاص",
        "total": "المجموع",
    },
}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def counts_for_year(registry: pl.DataFrame, year: int) -> pl.DataFrame:
    """Institutions, students and teachers by (vet_level, ownership) in `year`."""
    frame = registry.with_columns(students_in(registry, year)).filter(pl.col("opened_year") <= year)
    teachers = (pl.col("students") / pl.col("pupil_teacher_ratio")).round().clip(3)
    frame = frame.with_columns(
        students_female=(pl.col("students") * pl.col("female_share")).round().cast(pl.Int64),
        teachers=teachers.cast(pl.Int64),
        teachers_female=(teachers * (pl.col("female_share") + 0.1).clip(0, 0.9)).round().cast(pl.Int64),
    )
    return (
        frame.group_by("vet_level", "ownership")
        .agg(
            institutions=pl.len(),
            students_female=pl.col("students_female").sum(),
            students_male=(pl.col("students") - pl.col("students_female")).sum(),
            teachers_female=pl.col("teachers_female").sum(),
            teachers_male=(pl.col("teachers") - pl.col("teachers_female")).sum(),
        )
        .sort("vet_level", pl.col("ownership").replace({"public": "0", "private": "1"}))
    )


class Locale:
    """How one sender writes numbers: plain numbers, French text, or Arabic-Indic digits."""

    def __init__(self, lang: str, arabic_digits: bool, fte_teachers: bool, nbsp: bool) -> None:
        self.lang = lang
        self.arabic_digits = arabic_digits
        self.fte_teachers = fte_teachers  # French files report teachers in full-time equivalents
        self.sep = "\u00a0" if nbsp else " "

    def number(self, value: float) -> Cell:
        if self.lang == "fr":
            whole, _, frac = f"{value:,.1f}".partition(".")
            text = whole.replace(",", self.sep)
            return f"{text},{frac}" if frac != "0" else text
        if self.arabic_digits:
            return str(int(value)).translate(ARABIC_INDIC)
        return int(value) if float(value).is_integer() else value


def year_sheet(profile: Profile, counts: pl.DataFrame, year: int, locale: Locale, title_rows: int) -> Sheet:
    t = TEXT[locale.lang]
    year_text = str(year).translate(ARABIC_INDIC) if locale.arabic_digits else str(year)
    titles: list[list[Cell]] = [[t["title"].format(year=year_text)], [t["subtitle"]], []][:title_rows]
    h = len(titles)
    head = t["head"]
    rows: list[list[Cell]] = [
        *titles,
        [head[0], head[1], head[2], head[3], None, None, head[4], None, None],
        [None, None, None, *t["sex"], *t["sex"]],
    ]
    merges = [(h, 3, h, 5), (h, 6, h, 8), (h, 0, h + 1, 0), (h, 1, h + 1, 1), (h, 2, h + 1, 2)]
    fte = 0.5 if locale.fte_teachers else 0.0
    totals = np.zeros(len(MEASURES))
    for row in counts.iter_rows(named=True):
        scheme, digit = row["vet_level"].split("_")
        values = np.array([row[m] for m in MEASURES], dtype=float)
        values[3] -= fte * (row["institutions"] % 2)  # one part-time post per odd row: FTE halves
        totals += values
        rows.append([t[scheme].format(d=digit[0]), t[row["ownership"]], *_cells(values, locale)])
    rows.append([t["total"], None, *_cells(totals, locale)])
    return Sheet(str(year), rows, merges)


def _cells(v: np.ndarray, locale: Locale) -> list[Cell]:
    ordered = [v[0], v[1], v[2], v[1] + v[2], v[3], v[4], v[3] + v[4]]
    return [locale.number(float(x)) for x in ordered]


def write_ministry(
    out_dir: Path, profile: Profile, registry: pl.DataFrame, scale: Scale, seed: int
) -> dict[str, int]:
    rng = stream(seed, "ministry", profile.iso3)
    aze = profile.iso3 == "AZE"
    locale = Locale(
        lang=profile.lang,
        arabic_digits=profile.lang == "ar" and rng.random() < 0.5,
        fte_teachers=profile.lang == "fr" and rng.random() < 0.5,
        nbsp=rng.random() < 0.5,
    )
    years = [y for y in scale.rounds if aze or y == scale.rounds[-1] or rng.random() > 0.05]
    sheets = [
        year_sheet(profile, counts_for_year(registry, y), y, locale, int(rng.integers(1, 4))) for y in years
    ]
    as_text = not aze and rng.random() < 0.08
    folder = out_dir / "institutions"
    if as_text:
        # Text exports cannot carry Arabic-Indic digits in Windows-1256, so those senders use UTF-16.
        style = {"fr": FRENCH, "ar": EXCEL_UNICODE_TEXT if locale.arabic_digits else ARABIC_WINDOWS}
        for sheet in sheets:
            text_style = style.get(profile.lang, UTF8)
            write_text(folder / f"{profile.iso3}_{sheet.name}{text_style.suffix}", sheet.rows, text_style)
    else:
        write_xlsx(folder / f"{profile.iso3}_vet_statistics.xlsx", sheets)
    return {"files": len(sheets) if as_text else 1, "rows": sum(len(s.rows) for s in sheets)}

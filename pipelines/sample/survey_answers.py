"""The answers of one country-round, in canonical form (codes, numbers, percent 0-100).

Shapes (`survey_shapes`) only change how these answers are written, never what they say, so every
file shape yields the same facts once parsed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from pipelines.sample import fakes, reference
from pipelines.sample.profiles import Profile
from pipelines.sample.registry import students_in
from pipelines.sample.rng import stream

Answer = str | int | float | list[str] | None
BLANK_RATE = 0.04
PROGRAMMES = {
    "en": (
        "Welding",
        "Electrical installation",
        "ICT support",
        "Automotive mechanics",
        "Hospitality",
        "Plumbing",
    ),
    "fr": (
        "Soudage",
        "Électricité du bâtiment",
        "Maintenance informatique",
        "Mécanique auto",
        "Hôtellerie",
        "Plomberie",
    ),
    "ar": ("اللحام", "التمديدات الكهربائية", "دعم تقنية المعلومات", "ميكانيك السيارات", "الضيافة", "السباكة"),
}
STRATEGY = ("none", "planned", "drafting", "adopted", "implemented")


@dataclass
class Response:
    answers: dict[str, Answer]  # codebook code -> canonical answer
    uuid: str
    submitted_at: datetime
    programmes: list[dict[str, Answer]] = field(default_factory=list)


@dataclass
class CountryRound:
    profile: Profile
    round: int
    responses: list[Response]
    absent: set[str]  # questions the form version did not carry (or the sender deleted)


def _likert(rng: np.random.Generator, r: float) -> int:
    return int(np.clip(round(1 + 4 * r + rng.normal(0, 0.6)), 1, 5))


def _multi(rng: np.random.Generator, probs: dict[str, float]) -> list[str]:
    return [code for code, p in probs.items() if rng.random() < np.clip(p, 0.02, 0.98)]


def _institution(
    rng: np.random.Generator, r: float, students: int, ptr: float, aze: bool
) -> dict[str, Answer]:
    teachers = max(3, round(students / ptr))
    total = 4 + int(rng.poisson(10))
    ict_hours = rng.uniform(45, 190) if aze else np.clip(20 + 160 * r + rng.normal(0, 15), 10, 300)
    return {
        "broadband_mbps": round(float(rng.lognormal(np.log(2 + 150 * r * r), 0.5)), 1),
        "has_computer_lab": "yes" if rng.random() < 0.25 + 0.7 * r else "no",
        "reliable_electricity": "yes" if rng.random() < 0.4 + 0.58 * r else "no",
        "learner_devices": round(students * float(np.clip(0.02 + 0.35 * r + rng.normal(0, 0.03), 0.005, 1))),
        "students_enrolled": students,
        "teachers_total": teachers,
        "teachers_trained_digital": int(rng.binomial(teachers, np.clip(0.1 + 0.75 * r, 0, 1))),
        "managers_digital_skills": _likert(rng, r),
        "graduates_certified_pct": round(float(np.clip(5 + 80 * r + rng.normal(0, 8), 2, 99)), 1),
        "programmes_total": total,
        "programmes_blended": int(rng.binomial(total, np.clip(0.05 + 0.7 * r, 0, 1))),
        "programmes_digital_content": int(rng.binomial(total, np.clip(0.1 + 0.8 * r, 0, 1))),
        "programmes_vr_ar": int(rng.binomial(total, np.clip(0.6 * r * r, 0, 1))),
        "ict_hours_per_programme": round(float(ict_hours)),
        "digital_tools": _multi(
            rng,
            {
                "lms": 0.1 + 0.8 * r,
                "video_lessons": 0.3 + 0.6 * r,
                "e_textbooks": 0.1 + 0.8 * r,
                "simulators": 0.7 * r,
                "vr_ar": 0.6 * r * r,
                "3d_printing": 0.5 * r,
            },
        ),
        "content_quality": _likert(rng, r),
    }


def _national(rng: np.random.Generator, r: float, aze: bool) -> dict[str, Answer]:
    strategy = 4 if aze else int(np.clip(round(4 * r + rng.normal(0, 0.7)), 0, 4))
    return {
        "national_strategy": STRATEGY[strategy],
        "legal_framework": _likert(rng, r),
        "data_driven_policy": _likert(rng, r),
        "standards_interoperability": _likert(rng, r),
        "digital_budget_share_pct": round(float(np.clip(2 + 14 * r + rng.normal(0, 2), 2, 40)), 1),
        "funding_sources": _multi(
            rng,
            {
                "government": 0.95,
                "donors": 0.85 - 0.7 * r,
                "private_sector": 0.15 + 0.5 * r,
                "student_fees": 0.3,
                "own_revenue": 0.2 + 0.4 * r,
                "ppp": 0.1 + 0.4 * r,
            },
        ),
        "maintenance_budget": "yes" if rng.random() < 0.15 + 0.7 * r else "no",
        "industry_partnerships": int(rng.poisson(5 + 150 * r)),
    }


def _programmes(rng: np.random.Generator, lang: str, answers: dict[str, Answer]) -> list[dict[str, Answer]]:
    hours = float(answers["ict_hours_per_programme"])  # type: ignore[arg-type]
    names = rng.choice(len(PROGRAMMES[lang]), int(rng.integers(1, 5)), replace=False)
    return [
        {
            "programme_name": PROGRAMMES[lang][k],
            "programme_ict_hours": round(float(np.clip(hours + rng.normal(0, 20), 10, 400))),
            "programme_blended": "yes" if rng.random() < 0.5 else "no",
        }
        for k in names
    ]


def _blank_some(rng: np.random.Generator, answers: dict[str, Answer]) -> None:
    questions = reference.questions()
    for code in list(answers):
        if questions[code].group != "meta" and rng.random() < BLANK_RATE:
            answers[code] = None


def build_country_round(
    profile: Profile, registry: pl.DataFrame, round_: int, seed: int, n_institutions: tuple[int, int]
) -> CountryRound:
    rng = stream(seed, "survey", profile.iso3, round_)
    aze = profile.iso3 == "AZE"
    r = profile.level(round_)
    lang = profile.lang
    open_rows = registry.with_columns(students_in(registry, round_)).filter(pl.col("opened_year") <= round_)
    k = min(int(rng.integers(n_institutions[0], n_institutions[1] + 1)), open_rows.height)
    picked = open_rows[np.sort(rng.choice(open_rows.height, k, replace=False)).tolist()]
    start = datetime(round_, 3, 1, 8, 0, 0)
    meta = {"country": profile.iso3, "round": round_}

    def stamp() -> tuple[str, datetime]:
        return str(uuid.UUID(bytes=rng.bytes(16), version=4)), start + timedelta(
            seconds=int(rng.integers(0, 150 * 86400))
        )

    national = {**meta, "respondent_role": "national", "institution_id": None, "institution_name": None}
    national |= fakes.identity(rng, lang, 0) | _national(rng, r, aze)
    _blank_some(rng, national)
    responses = [Response(national, *stamp())]
    for i, row in enumerate(picked.iter_rows(named=True), start=1):
        ri = float(np.clip(r + row["readiness_offset"], 0.02, 0.98))
        answers: dict[str, Answer] = {**meta, "respondent_role": "institution"}
        answers |= {"institution_id": row["institution_id"], "institution_name": row["institution_name"]}
        answers |= fakes.identity(rng, lang, i)
        answers |= _institution(rng, ri, row["students"], row["pupil_teacher_ratio"], aze)
        _blank_some(rng, answers)
        programmes = _programmes(rng, lang, answers) if answers["ict_hours_per_programme"] is not None else []
        responses.append(Response(answers, *stamp(), programmes=programmes))
    absent = {"content_quality"} if round_ <= 2023 else set()  # added to the form in 2024
    optional = [
        q for q, spec in reference.questions().items() if spec.group not in ("meta", "identity", "programmes")
    ]
    if rng.random() < 0.12:
        absent.add(optional[int(rng.integers(len(optional)))])
    return CountryRound(profile, round_, responses, absent)

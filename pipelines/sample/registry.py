"""The (synthetic) register of VET institutions of one country: the single truth that the survey,
ministry counts and inventories are all drawn from, so the sources agree with each other."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.sample.profiles import Profile
from pipelines.sample.rng import stream

AZE_STUDENTS_2025 = 41_327  # "40,000+ students" in Azerbaijan's national report
NAME_PATTERNS = {
    "en": ("Technical and Vocational College No. {n}", "Polytechnic Institute {n}", "VET Centre {n}"),
    "fr": (
        "Centre de formation professionnelle n° {n}",
        "Lycée technique {n}",
        "Institut de formation professionnelle {n}",
    ),
    "ar": ("المعهد المهني رقم {n}", "مركز التدريب المهني {n}", "الكلية التقنية {n}"),
}


def _level_scheme(profile: Profile, seed: int) -> str:
    """nqf levels 3-5 or ISCED 35/45/55; Azerbaijan reports NQF levels 3-5."""
    if profile.iso3 == "AZE":
        return "nqf"
    return "isced" if stream(seed, "scheme", profile.iso3).random() < 0.4 else "nqf"


def build_registry(profile: Profile, seed: int) -> pl.DataFrame:
    rng = stream(seed, "registry", profile.iso3)
    n = profile.n_institutions
    nums = np.arange(1, n + 1)
    patterns = NAME_PATTERNS[profile.lang]
    names = [patterns[p].format(n=k) for p, k in zip(rng.integers(0, 3, n), nums, strict=True)]
    # Old schools dominate; about a third opened since 2000 (the old/new divide the report describes).
    opened = np.where(rng.random(n) < 0.65, rng.integers(1960, 2000, n), rng.integers(2000, 2026, n))
    if profile.iso3 == "AZE":
        opened = np.minimum(opened, 2023)
        opened[-2:] = (2024, 2025)  # 77 institutions in 2023, 78 in 2024, 79 in 2025
    students = rng.lognormal(np.log(450), 0.6, n)
    if profile.iso3 == "AZE":
        students = students / students.sum() * AZE_STUDENTS_2025
    students = np.maximum(np.round(students), 40).astype(np.int64)
    if profile.iso3 == "AZE":
        students[np.argmax(students)] += AZE_STUDENTS_2025 - students.sum()
    level_digit = rng.choice([3, 4, 5], n, p=[0.5, 0.3, 0.2])
    scheme = _level_scheme(profile, seed)
    levels = [f"nqf_{d}" if scheme == "nqf" else f"isced_{d}5" for d in level_digit]
    # Newer institutions are better equipped: the within-country readiness offset grows with opening year.
    offset = (opened - 1995) / 100 + rng.normal(0, 0.08, n)
    return pl.DataFrame(
        {
            "institution_id": [f"{profile.iso3}-{k:05d}" for k in nums],
            "institution_name": names,
            "opened_year": opened.astype(np.int32),
            "vet_level": levels,
            "ownership": np.where(rng.random(n) < 0.78, "public", "private"),
            "students_2025": students,
            "female_share": rng.uniform(0.2, 0.6, n),
            "pupil_teacher_ratio": rng.uniform(11, 26, n),
            "growth": np.full(n, rng.uniform(0.005, 0.04)),
            "readiness_offset": offset,
        }
    )


def students_in(registry: pl.DataFrame, year: int) -> pl.Series:
    """Enrolment of every institution in `year` (0 before it opened); exact for 2025."""
    factor = 1 - pl.col("growth") * (2025 - year)
    expr = (
        pl.when(pl.col("opened_year") <= year).then((pl.col("students_2025") * factor).round()).otherwise(0)
    )
    return registry.select(expr.cast(pl.Int64).alias("students")).to_series()

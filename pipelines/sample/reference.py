"""Read the project's seeds the generator builds on, so sample files and seeds never disagree."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "data" / "seeds"


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Question:
    code: str
    group: str
    qtype: str
    list_name: str
    labels: dict[str, str]  # lang -> label


@dataclass(frozen=True)
class Choice:
    code: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Item:
    code: str
    category: str
    names: dict[str, str]
    is_computer: bool


@cache
def countries() -> tuple[dict[str, str], ...]:
    return tuple(_read("countries.csv"))


@cache
def questions() -> dict[str, Question]:
    return {
        row["question_code"]: Question(
            code=row["question_code"],
            group=row["question_group"],
            qtype=row["question_type"],
            list_name=row["list_name"],
            labels={lang: row[f"label_{lang}"] for lang in ("en", "fr", "ar")},
        )
        for row in _read("survey_codebook.csv")
    }


@cache
def choices() -> dict[str, tuple[Choice, ...]]:
    lists: dict[str, list[Choice]] = {}
    for row in _read("survey_choices.csv"):
        labels = {lang: row[f"label_{lang}"] for lang in ("en", "fr", "ar")}
        lists.setdefault(row["list_name"], []).append(Choice(row["choice_code"], labels))
    return {name: tuple(items) for name, items in lists.items()}


def choice_label(list_name: str, code: str, lang: str) -> str:
    return next(c.labels[lang] for c in choices()[list_name] if c.code == code)


@cache
def equipment() -> tuple[Item, ...]:
    return tuple(
        Item(
            code=row["item_code"],
            category=row["category"],
            names={lang: row[f"name_{lang}"] for lang in ("en", "fr", "ar")},
            is_computer=row["is_computer"] == "true",
        )
        for row in _read("equipment_taxonomy.csv")
    )

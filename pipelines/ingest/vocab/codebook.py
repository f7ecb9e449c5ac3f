"""The survey codebook and choice lists, with lookups by code or label in EN/FR/AR.

Header and answer matching use `text.fold`, so "Très élevé", "tres eleve" and "TRÈS ÉLEVÉ" are one
label, and Arabic labels match with or without diacritics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipelines.ingest.vocab.text import compact, fold
from pipelines.ingest.vocab.yes_no import yes_no

LANGS = ("en", "fr", "ar")


@dataclass(frozen=True)
class Choice:
    code: str
    value: float | None
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    code: str
    group: str
    type: (
        str  # country | integer | decimal | percent | text | select_one | select_multiple | yes_no | likert5
    )
    list_name: str | None
    required: bool
    pii: str  # none | hash | drop
    min_value: float | None
    max_value: float | None
    labels: tuple[str, ...]


def _num(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


@dataclass(frozen=True)
class Codebook:
    questions: Mapping[str, Question]
    choices: Mapping[str, tuple[Choice, ...]]  # list_name -> choices in file order
    by_key: Mapping[str, Question]  # folded code, compact code and folded labels -> question

    @classmethod
    def from_rows(
        cls, questions: Iterable[Mapping[str, str]], choices: Iterable[Mapping[str, str]]
    ) -> Codebook:
        qs = {}
        for r in questions:
            code = r["question_code"].strip()
            qs[code] = Question(
                code=code,
                group=r.get("question_group", "").strip(),
                type=r["question_type"].strip(),
                list_name=(r.get("list_name") or "").strip() or None,
                required=(r.get("required") or "").strip().lower() == "true",
                pii=(r.get("pii") or "none").strip() or "none",
                min_value=_num(r.get("min_value")),
                max_value=_num(r.get("max_value")),
                labels=tuple(r[f"label_{lang}"] for lang in LANGS if r.get(f"label_{lang}")),
            )
        lists: dict[str, list[Choice]] = {}
        for r in choices:
            lists.setdefault(r["list_name"].strip(), []).append(
                Choice(
                    code=r["choice_code"].strip(),
                    value=_num(r.get("value")),
                    labels=tuple(r[f"label_{lang}"] for lang in LANGS if r.get(f"label_{lang}")),
                )
            )
        by_key: dict[str, Question] = {}
        for q in qs.values():
            for key in (fold(q.code), compact(q.code), *(fold(label) for label in q.labels)):
                by_key.setdefault(key, q)
        return cls(qs, {k: tuple(v) for k, v in lists.items()}, by_key)

    def question_for(self, text: str) -> Question | None:
        """A question by code ("broadband_mbps", LimeSurvey "broadbandmbps") or label in any language."""
        return self.by_key.get(fold(text)) or self.by_key.get(compact(text))

    def choice_for(self, question: Question, text: str) -> Choice | None:
        """The choice whose code or label (EN/FR/AR) is `text`; yes/no also accept y/true/1/oui/نعم."""
        options = self.choices.get(question.list_name or "", ())
        key = fold(text)
        if key.replace(" ", "").replace(".", "").isdigit() and key.endswith(" 0"):
            key = key[:-2]  # "4.0" from a numeric spreadsheet cell is the code "4"
        for choice in options:
            if key == fold(choice.code) or any(key == fold(label) for label in choice.labels):
                return choice
        if question.type == "yes_no":
            # Beyond the list's labels: Kobo "true", LimeSurvey "Y", 0/1 cells (vocab/yes_no.py).
            meaning = yes_no(text, "answer")
            wanted = None if meaning is None else "yes" if meaning else "no"
            return next((c for c in options if c.code == wanted), None)
        return None

    def option_for(self, question: Question, text: str) -> Choice | None:
        """A select_multiple option named in a header: code, label, or LimeSurvey SQ001 = 1st choice."""
        options = self.choices.get(question.list_name or "", ())
        found = self.choice_for(question, text)
        if found:
            return found
        tight = compact(text)
        if tight.startswith("sq") and tight[2:].isdigit() and 0 < int(tight[2:]) <= len(options):
            return options[int(tight[2:]) - 1]
        return next((c for c in options if compact(c.code) == tight), None)

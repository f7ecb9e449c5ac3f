"""Synthetic submissions of a generated XLSForm, and the answer rows the warehouse must then hold.

`fill` answers the form as a respondent would: it reads types, choice lists, constraints and
relevance from the XLSForm sheets (not from the codebook), so a question the form lost or mistyped
shows up as a missing or wrong answer. `expected_answers` states what raw.survey_answers must hold
from the codebook seed rows, independently of the parser's code.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipelines.collect.xlsform import XLSForm
from pipelines.seeds import SeedRows

COUNTRIES = ("TUN", "SEN", "AZE", "MYS", "JOR", "EGY")
_ROLE_TERM = re.compile(r"\$\{respondent_role\} = '([^']+)'")
_BOUND = re.compile(r"\. (>=|<=) (-?[\d.]+)")
_PEOPLE = (
    ("Amina Benali", "amina.benali@example.org", "+216 55 66 77 01", "Directrice des études"),
    ("Moussa Diop", "m.diop@example.org", "+221 77 123 45 67", "Point focal"),
    ("Leyla Aliyeva", "leyla.aliyeva@example.org", "+994 50 123 45 67", "Head of IT"),
    ("Nur Aisyah", "nur.aisyah@example.org", "+60 12 345 6789", "Registrar"),
)


@dataclass
class Submission:
    index: int  # Kobo _index / _id
    uuid: str
    values: dict[str, object]  # question name -> str | int | float | list[str]; absent = blank
    repeats: list[dict[str, object]] = field(default_factory=list)
    submitted: str = ""
    status: str = ""
    version: str = ""


@dataclass(frozen=True)
class Node:
    """One question of the form with where it sits."""

    name: str
    type: str
    list_name: str | None
    groups: tuple[dict[str, str], ...]  # enclosing begin_group/begin_repeat rows, outermost first
    row: dict[str, str]

    @property
    def repeat(self) -> str | None:
        return next((g["name"] for g in self.groups if g["type"] == "begin_repeat"), None)


def nodes(form: XLSForm) -> list[Node]:
    out, stack = [], []
    for row in form.survey:
        if row["type"].startswith("begin_"):
            stack.append(row)
        elif row["type"].startswith("end_"):
            stack.pop()
        else:
            parts = row["type"].split()
            out.append(Node(row["name"], parts[0], parts[1] if len(parts) > 1 else None, tuple(stack), row))
    return out


def relevant(expression: str | None, values: Mapping[str, object]) -> bool:
    """The writer's relevance expressions: `${respondent_role} = 'x'` terms joined by `or`."""
    if not expression:
        return True
    terms = expression.split(" or ")
    roles = [m.group(1) for t in terms if (m := _ROLE_TERM.fullmatch(t))]
    assert len(roles) == len(terms), f"relevance this test cannot evaluate: {expression}"
    return values.get("respondent_role") in roles


def _bounds(constraint: str | None) -> tuple[float, float]:
    lo, hi = 0.0, 1000.0
    for op, number in _BOUND.findall(constraint or ""):
        lo, hi = (float(number), hi) if op == ">=" else (lo, float(number))
    # Never 1 or less: a percent column of values in [0, 1] is read as fractions (numbers.as_percent).
    return max(lo, 2.0), min(hi, max(lo, 2.0) + 400.0)


def _value(node: Node, form: XLSForm, rng: random.Random, person: tuple[str, ...], i: int) -> object:
    names = [c["name"] for c in form.choices if c["list_name"] == node.list_name]
    if node.type == "select_one":
        return rng.choice([n for n in names if n in COUNTRIES] if node.list_name == "countries" else names)
    if node.type == "select_multiple":
        return rng.sample(names, rng.randint(1, len(names)))
    lo, hi = _bounds(node.row.get("constraint"))
    if node.type == "integer":
        return rng.randint(int(lo), int(hi))
    if node.type == "decimal":
        return round(rng.uniform(lo, hi), 1)
    identity = {"respondent_name": 0, "respondent_email": 1, "respondent_phone": 2, "respondent_position": 3}
    if node.name in identity:
        return person[identity[node.name]]
    return f"{node.name.replace('_', ' ').title()} {i}"


def fill(form: XLSForm, count: int, seed: int = 19) -> list[Submission]:
    """`count` submissions: the first from the national focal point, then institutions (and some
    national ones); non-required questions blank about one time in ten; 1-3 repeat instances."""
    rng = random.Random(seed)
    all_nodes = nodes(form)
    subs = []
    for i in range(count):
        values: dict[str, object] = {}
        person = _PEOPLE[i % len(_PEOPLE)]
        for node in (n for n in all_nodes if n.repeat is None):
            if not all(relevant(g.get("relevant"), values) for g in node.groups):
                continue
            if not relevant(node.row.get("relevant"), values):
                continue
            if node.name == "respondent_role":
                values[node.name] = "national" if i % 4 == 0 else "institution"
                continue
            if node.row.get("required") != "yes" and rng.random() < 0.1:
                continue
            values[node.name] = _value(node, form, rng, person, i)
        repeats = []
        repeat_nodes = [n for n in all_nodes if n.repeat is not None]
        if repeat_nodes and all(relevant(g.get("relevant"), values) for g in repeat_nodes[0].groups):
            for k in range(rng.randint(1, 3)):
                instance = {
                    n.name: _value(n, form, rng, person, 10 * i + k)
                    for n in repeat_nodes
                    if n.row.get("required") == "yes" or rng.random() >= 0.1
                }
                repeats.append(
                    instance or {repeat_nodes[0].name: _value(repeat_nodes[0], form, rng, person, i)}
                )
        subs.append(
            Submission(
                index=i + 1,
                uuid=f"{rng.getrandbits(64):016x}-{i:04d}",
                values=values,
                repeats=repeats,
                submitted=f"2025-03-{1 + i % 28:02d}T{8 + i % 10:02d}:15:30",
                status=("validation_status_approved", "", "validation_status_on_hold")[i % 3],
                version=form.settings["version"],
            )
        )
    return subs


def _answer_rows(code: str, value: object, qtype: str, list_name: str, choices: SeedRows) -> list[tuple]:
    options = [c for c in choices if c["list_name"] == list_name]
    if qtype in ("integer", "decimal", "percent"):
        return [(code, None, None, round(float(value), 6))]  # type: ignore[arg-type]
    if qtype in ("select_one", "likert5", "yes_no"):
        choice = next(c for c in options if c["choice_code"] == value)
        return [(code, None, value, float(choice["value"]) if choice["value"] else None)]
    if qtype == "select_multiple":
        chosen = set(value)  # type: ignore[arg-type]
        return [
            (code, c["choice_code"], c["choice_code"], float(c["choice_code"] in chosen)) for c in options
        ]
    return [(code, None, value, None)]


def expected_answers(subs: list[Submission], seeds: Mapping[str, SeedRows], id_of) -> set[tuple]:
    """(response_id, question_code, option_code, repeat_group, repeat_index, value_text, value_number)
    for every answer given, as the codebook defines them (meta and identity are not answers)."""
    questions = {r["question_code"]: r for r in seeds["survey_codebook"]}
    choices = seeds["survey_choices"]
    out = set()
    for s in subs:
        rid = id_of(s)
        for code, value in s.values.items():
            q = questions[code]
            if q["question_group"] in ("meta", "identity"):
                continue
            for row in _answer_rows(code, value, q["question_type"], q["list_name"], choices):
                out.add((rid, row[0], row[1], None, None, row[2], row[3]))
        for k, instance in enumerate(s.repeats, start=1):
            for code, value in instance.items():
                q = questions[code]
                for row in _answer_rows(code, value, q["question_type"], q["list_name"], choices):
                    out.add((rid, row[0], row[1], q["question_group"], k, row[2], row[3]))
    return out

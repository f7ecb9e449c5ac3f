"""The vetdx questionnaire as an XLSForm, built from the codebook seeds alone.

`survey_codebook.csv` gives the questions (type, list, required, min/max, labels in EN/FR/AR, who is
asked: `asked_of`, repeated items: `repeat`), `survey_choices.csv` the choice lists, `countries.csv`
the country list and `indicator_catalogue.csv` the labels of the groups that are index dimensions.
A change of the codebook is a change of the form: nothing here names a question.

Layout, as the survey parser reads it back (sources/survey_columns.py): `meta` questions at the top level,
every other group `grp_<group>` (Kobo headers `grp_<group>/<code>`, ODK `grp_<group>-<code>`), a
group whose questions are all `repeat` is a repeat named after the group (Kobo's repeat sheet).
`asked_of` = a `respondent_role` choice code makes the question (or the whole group when all its
questions agree) relevant only to that role: the national focal point and the institutions each
see their own part.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipelines.seeds import SeedRows

FORM_ID = "vetdx_survey"
LANGUAGES = (("en", "English (en)"), ("fr", "French (fr)"), ("ar", "Arabic (ar)"))
DEFAULT_LANGUAGE = LANGUAGES[0][1]
# Groups whose questions the parser reads as submission fields (country, round, role): top level.
TOP_LEVEL_GROUPS = ("meta",)
ROLE_QUESTION = "respondent_role"
COUNTRY_LIST = "countries"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")  # an XML name, as XLSForm requires of questions
_CHOICE_NAME = re.compile(r"^\S+$")  # select_multiple answers are space-separated choice names
_TYPES = {"integer": "integer", "decimal": "decimal", "percent": "decimal", "text": "text"}
_SELECTS = {"select_one": "select_one", "likert5": "select_one", "yes_no": "select_one"}

# Form texts that are not questions: group headings outside the index tree, hints, messages.
_GROUP_TEXT = {
    "identity": ("Contact person", "Personne de contact", "الشخص المسؤول عن التواصل"),
    "programmes": ("Programmes", "Programmes", "البرامج"),
}
_FORM_TITLE = "vetdx questionnaire: digital transition of TVET"
_PII_HINT = {
    "hash": (
        "Used only to recognise repeated submissions: kept as a pseudonymous key, never published.",
        "Sert seulement à reconnaître les envois répétés : conservé comme clé pseudonyme, jamais publié.",
        "يُستخدم فقط للتعرف على الإرسالات المتكررة: يُحفظ كمفتاح مستعار ولا يُنشر أبداً.",
    ),
    "drop": (
        "For the reviewer only: never stored in the warehouse.",
        "Pour la personne qui vérifie seulement : jamais conservé dans l'entrepôt.",
        "للمراجع فقط: لا يُحفظ أبداً في مستودع البيانات.",
    ),
}
_REQUIRED_MESSAGE = ("This answer is required.", "Cette réponse est obligatoire.", "هذه الإجابة مطلوبة.")
_RANGE_MESSAGE = {
    "both": (
        "Enter a value from {lo} to {hi}.",
        "Saisissez une valeur de {lo} à {hi}.",
        "أدخل قيمة من {lo} إلى {hi}.",
    ),
    "min": (
        "Enter a value of at least {lo}.",
        "Saisissez une valeur d'au moins {lo}.",
        "أدخل قيمة لا تقل عن {lo}.",
    ),
    "max": (
        "Enter a value of at most {hi}.",
        "Saisissez une valeur d'au plus {hi}.",
        "أدخل قيمة لا تزيد عن {hi}.",
    ),
}

SURVEY_COLUMNS = (
    "type",
    "name",
    *(f"label::{lang}" for _, lang in LANGUAGES),
    *(f"hint::{lang}" for _, lang in LANGUAGES),
    "required",
    *(f"required_message::{lang}" for _, lang in LANGUAGES),
    "constraint",
    *(f"constraint_message::{lang}" for _, lang in LANGUAGES),
    "relevant",
    "appearance",
)
CHOICES_COLUMNS = ("list_name", "name", *(f"label::{lang}" for _, lang in LANGUAGES))
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language")


class CodebookError(ValueError):
    """A codebook row the form cannot be built from; the message names the file, row and column."""


@dataclass(frozen=True)
class XLSForm:
    survey: list[dict[str, str]]
    choices: list[dict[str, str]]
    settings: dict[str, str]

    def question_rows(self) -> list[dict[str, str]]:
        """Rows that are questions (not group or repeat markers)."""
        return [r for r in self.survey if not r["type"].startswith(("begin_", "end_"))]


def _texts(values: tuple[str, ...], prefix: str) -> dict[str, str]:
    return {f"{prefix}::{lang}": text for (_, lang), text in zip(LANGUAGES, values, strict=True)}


def _labels(row: Mapping[str, str], fields: tuple[str, str, str]) -> tuple[str, str, str]:
    english = row.get(fields[0], "")
    # A language left blank shows the English text rather than an empty label.
    return tuple(row.get(f, "") or english for f in fields)  # type: ignore[return-value]


def _number(text: str, where: str) -> str:
    """A bound as XPath reads it: plain decimal notation (no exponent, no trailing zeros)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CodebookError(f"{where}: '{text}' is not a number") from None
    return format(value.normalize(), "f")


def _constraint(row: Mapping[str, str], where: str) -> dict[str, str]:
    lo = _number(row["min_value"], f"{where}, column min_value") if row.get("min_value") else None
    hi = _number(row["max_value"], f"{where}, column max_value") if row.get("max_value") else None
    if lo is None and hi is None:
        return {}
    parts = ([f". >= {lo}"] if lo is not None else []) + ([f". <= {hi}"] if hi is not None else [])
    kind = "both" if lo is not None and hi is not None else "min" if lo is not None else "max"
    messages = tuple(m.format(lo=lo, hi=hi) for m in _RANGE_MESSAGE[kind])
    return {"constraint": " and ".join(parts), **_texts(messages, "constraint_message")}


def _choice_rows(seeds: Mapping[str, SeedRows], used: set[str]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for n, r in enumerate(seeds.get("survey_choices", []), start=2):
        if r.get("list_name") not in used:
            continue
        if not _CHOICE_NAME.match(r.get("choice_code", "")):
            raise CodebookError(
                f"survey_choices.csv row {n}, column choice_code: '{r.get('choice_code')}' is not a "
                "valid XLSForm choice name (it must not be blank or hold spaces)"
            )
        labels = _labels(r, ("label_en", "label_fr", "label_ar"))
        rows.append({"list_name": r["list_name"], "name": r["choice_code"], **_texts(labels, "label")})
    if COUNTRY_LIST in used:
        for r in seeds.get("countries", []):
            labels = _labels(r, ("name_en", "name_fr", "name_ar"))
            rows.append({"list_name": COUNTRY_LIST, "name": r["iso3"], **_texts(labels, "label")})
    return rows


def _relevance(audience: str) -> str:
    return " or ".join(f"${{{ROLE_QUESTION}}} = '{role}'" for role in audience.split())


def _question(row: Mapping[str, str], where: str, lists: set[str]) -> dict[str, str]:
    code, qtype = row["question_code"], row["question_type"]
    if not _NAME.match(code):
        raise CodebookError(f"{where}, column question_code: '{code}' is not a valid XLSForm name")
    out: dict[str, str] = {
        "name": code,
        **_texts(_labels(row, ("label_en", "label_fr", "label_ar")), "label"),
    }
    if qtype == "country":
        out["type"], out["appearance"] = f"select_one {COUNTRY_LIST}", "minimal"
    elif qtype in _SELECTS or qtype == "select_multiple":
        list_name = row.get("list_name", "")
        if list_name not in lists:
            raise CodebookError(
                f"{where}, column list_name: '{list_name}' is no list of survey_choices.csv "
                f"(question '{code}' is {qtype})"
            )
        out["type"] = f"{_SELECTS.get(qtype, 'select_multiple')} {list_name}"
    elif qtype in _TYPES:
        out["type"] = _TYPES[qtype]
        out.update(_constraint(row, where))  # select bounds are choice values, not answers
    else:
        raise CodebookError(f"{where}, column question_type: '{qtype}' is not a known question type")
    if (row.get("required") or "").lower() == "true":
        out["required"] = "yes"
        out.update(_texts(_REQUIRED_MESSAGE, "required_message"))
    if row.get("pii") in _PII_HINT:
        out.update(_texts(_PII_HINT[row["pii"]], "hint"))
    return out


def _group_labels(seeds: Mapping[str, SeedRows], group: str) -> tuple[str, str, str]:
    for r in seeds.get("indicator_catalogue", []):
        if r.get("code") == group:
            return _labels(r, ("name_en", "name_fr", "name_ar"))
    fallback = group.replace("_", " ").capitalize()
    return _GROUP_TEXT.get(group, (fallback, fallback, fallback))


def _check_audience(rows: SeedRows, seeds: Mapping[str, SeedRows]) -> None:
    role = next((r for r in rows if r["question_code"] == ROLE_QUESTION), None)
    roles = {
        c["choice_code"]
        for c in seeds.get("survey_choices", [])
        if role and c["list_name"] == role["list_name"]
    }
    for n, r in enumerate(rows, start=2):
        for code in (r.get("asked_of") or "").split():
            if code not in roles:
                raise CodebookError(
                    f"survey_codebook.csv row {n}, column asked_of: '{code}' is not a choice of "
                    f"question '{ROLE_QUESTION}'" + ("" if role else " (the codebook has no such question)")
                )


def build_form(seeds: Mapping[str, SeedRows]) -> XLSForm:
    """The XLSForm sheets from the seed rows (by seed name, as `pipelines.seeds.read_seeds` gives)."""
    rows = seeds.get("survey_codebook", [])
    if not rows:
        raise CodebookError("survey_codebook.csv: no questions")
    _check_audience(rows, seeds)
    lists = {r["list_name"] for r in seeds.get("survey_choices", [])}
    groups: dict[str, list[tuple[int, Mapping[str, str]]]] = {}
    for n, r in enumerate(rows, start=2):
        groups.setdefault(r.get("question_group") or TOP_LEVEL_GROUPS[0], []).append((n, r))
    survey: list[dict[str, str]] = []
    for group, members in groups.items():
        questions = [(r, _question(r, f"survey_codebook.csv row {n}", lists)) for n, r in members]
        audiences = {(r.get("asked_of") or "").strip() for r, _ in questions}
        repeats = {(r.get("repeat") or "").lower() == "true" for r, _ in questions}
        if len(repeats) > 1:
            rows_of = ", ".join(str(n) for n, _ in members)
            raise CodebookError(
                f"survey_codebook.csv rows {rows_of}, column repeat: group '{group}' mixes repeated and "
                "single questions"
            )
        shared = audiences.pop() if len(audiences) == 1 else None
        for r, q in questions:
            if shared is None and (r.get("asked_of") or "").strip():
                q["relevant"] = _relevance(r["asked_of"])
        if group in TOP_LEVEL_GROUPS:
            if shared:
                for _, q in questions:
                    q["relevant"] = _relevance(shared)
            survey += [q for _, q in questions]
            continue
        kind = "repeat" if repeats.pop() else "group"
        name = group if kind == "repeat" else f"grp_{group}"
        begin = {"type": f"begin_{kind}", "name": name, **_texts(_group_labels(seeds, group), "label")}
        if shared:
            begin["relevant"] = _relevance(shared)
        survey += [begin, *(q for _, q in questions), {"type": f"end_{kind}", "name": name}]
    used = {q["type"].split()[1] for q in survey if q["type"].startswith("select_")}
    choices = _choice_rows(seeds, used)
    content = json.dumps([survey, choices], sort_keys=True, ensure_ascii=False).encode()
    settings = {
        "form_title": _FORM_TITLE,
        "form_id": FORM_ID,
        # The content decides the version: the same codebook gives the same form version, a changed
        # one a new version (ODK Central refuses a changed form under an old version string).
        "version": hashlib.sha256(content).hexdigest()[:12],
        "default_language": DEFAULT_LANGUAGE,
    }
    return XLSForm(survey, choices, settings)


def write_workbook(form: XLSForm, path: Path) -> Path:
    """The XLSForm workbook (`survey`, `choices`, `settings`), as Kobo and ODK Central upload it."""
    from openpyxl import Workbook

    book = Workbook()
    sheets = (
        ("survey", SURVEY_COLUMNS, form.survey),
        ("choices", CHOICES_COLUMNS, form.choices),
        ("settings", SETTINGS_COLUMNS, [form.settings]),
    )
    book.remove(book.active)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row.get(c, "") or None for c in columns])
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def to_xform(path: Path) -> tuple[str, list[str]]:
    """The XForm XML pyxform converts the workbook to, and its warnings (pyxform raises on errors)."""
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings, file_type=".xlsx", pretty_print=True)
    return result.xform, list(result.warnings or warnings)

"""Write one country-round of answers in the shape of a real collection tool's export.

Shapes: kobo (group paths, codes), kobo_labels (form labels in French or Arabic), odk (ODK Central),
limesurvey, plain (codebook codes). Each returns sheets of rows; `survey_files` picks the container.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.sample import reference
from pipelines.sample.survey_answers import Answer, CountryRound, Response
from pipelines.sample.writers import Cell, Sheet, format_number

MAIN_SHEET = "vetdx_survey"
VALIDATION = (
    "validation_status_approved",
    "validation_status_on_hold",
    "validation_status_not_approved",
    None,
)
REVIEW = (None, "approved", "hasIssues", None)


@dataclass(frozen=True)
class Render:
    """How one file writes values: codes or labels, the country spelling, the percent style."""

    kind: str  # kobo | kobo_labels | odk | limesurvey | plain
    lang: str  # label language for kobo_labels; startlanguage for limesurvey
    country_text: str
    pct_style: str  # number (45) | fraction (0.45) | sign ("45%")
    decimal: str = "."

    @property
    def labels(self) -> bool:
        return self.kind == "kobo_labels"

    def value(self, code: str, answer: Answer) -> Cell:
        if answer is None or answer == []:
            return None
        spec = reference.questions()[code]
        if spec.qtype == "country":
            return self.country_text
        if spec.qtype == "percent":
            return self._percent(float(answer))  # type: ignore[arg-type]
        if spec.qtype == "select_multiple":
            items = [self._choice(spec.list_name, a) for a in answer]  # type: ignore[union-attr]
            return " ".join(str(i) for i in items)
        if spec.qtype in ("yes_no", "select_one", "likert5"):
            if self.kind == "limesurvey" and spec.qtype == "yes_no":
                return "Y" if answer == "yes" else "N"
            return self._choice(spec.list_name, str(answer))
        return answer  # type: ignore[return-value]

    def _choice(self, list_name: str, code: str) -> Cell:
        if self.labels:
            return reference.choice_label(list_name, code, self.lang)
        return int(code) if code.isdigit() else code

    def _percent(self, pct: float) -> Cell:
        if self.pct_style == "fraction":
            return round(pct / 100, 4)
        if self.pct_style == "sign":
            return format_number(pct, self.decimal) + "%"
        return pct


def _questions(cr: CountryRound) -> list[reference.Question]:
    return [q for q in reference.questions().values() if q.group != "programmes" and q.code not in cr.absent]


def _header(q: reference.Question, render: Render) -> str:
    if render.labels:
        return q.labels[render.lang]
    if q.group == "meta" or render.kind in ("limesurvey", "plain"):
        return q.code
    sep = "/" if render.kind == "kobo" else "-"
    return f"grp_{q.group}{sep}{q.code}"


Column = tuple[str, Callable[[int, Response], Cell]]


def _answer_columns(cr: CountryRound, render: Render) -> list[Column]:
    columns: list[Column] = []
    for q in _questions(cr):
        header = _header(q, render)

        def get(_: int, resp: Response, code: str = q.code) -> Cell:
            return render.value(code, resp.answers.get(code))

        if q.qtype == "select_multiple" and render.kind == "limesurvey":
            # LimeSurvey sub-questions SQ001.. follow the option order of survey_choices.csv.
            for k, choice in enumerate(reference.choices()[q.list_name], start=1):
                columns.append((f"{q.code}[SQ{k:03d}]", _lime_option(q.code, choice.code)))
            continue
        columns.append((header, get))
        if q.qtype == "select_multiple" and render.kind in ("kobo", "kobo_labels"):
            for choice in reference.choices()[q.list_name]:
                name = choice.labels[render.lang] if render.labels else choice.code
                columns.append((f"{header}/{name}", _kobo_option(q.code, choice.code)))
    return columns


def _kobo_option(code: str, option: str) -> Callable[[int, Response], Cell]:
    def get(_: int, resp: Response) -> Cell:
        chosen = resp.answers.get(code)
        return None if not chosen else int(option in chosen)  # all blank when unanswered

    return get


def _lime_option(code: str, option: str) -> Callable[[int, Response], Cell]:
    def get(_: int, resp: Response) -> Cell:
        chosen = resp.answers.get(code) or []
        return "Y" if option in chosen else None

    return get


def _metadata(cr: CountryRound, render: Render) -> tuple[list[Column], list[Column]]:
    """(leading, trailing) tool metadata columns."""
    version = f"v{cr.round}.{1 + cr.round % 3}"
    if render.kind in ("kobo", "kobo_labels"):
        return [], [
            ("_id", lambda i, r: 100000 + cr.round % 100 * 1000 + i),
            ("_uuid", lambda i, r: r.uuid),
            ("_submission_time", lambda i, r: r.submitted_at.isoformat()),
            ("_validation_status", lambda i, r: VALIDATION[i % 4]),
            ("__version__", lambda i, r: f"vQ8b{cr.round}kTnDgF"),  # Kobo's opaque deployment id
            ("_index", lambda i, r: i + 1),
        ]
    if render.kind == "odk":
        return [("SubmissionDate", lambda i, r: r.submitted_at.isoformat() + ".000Z")], [
            ("meta-instanceID", lambda i, r: f"uuid:{r.uuid}"),
            ("KEY", lambda i, r: f"uuid:{r.uuid}"),
            ("SubmitterID", lambda i, r: 7),
            ("SubmitterName", lambda i, r: "focal-point"),
            ("ReviewState", lambda i, r: REVIEW[i % 4]),
            ("FormVersion", lambda i, r: version),
        ]
    if render.kind == "limesurvey":
        stamp = lambda i, r: r.submitted_at.strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731
        return [
            ("id", lambda i, r: i + 1),
            ("submitdate", stamp),
            ("lastpage", lambda i, r: 6),
            ("startlanguage", lambda i, r: render.lang),
            ("seed", lambda i, r: int(r.uuid[:7], 16)),
            ("startdate", stamp),
            ("datestamp", stamp),
        ], []
    return [], []


def main_sheet(cr: CountryRound, render: Render) -> Sheet:
    lead, trail = _metadata(cr, render)
    columns = lead + _answer_columns(cr, render) + trail
    rows: list[list[Cell]] = [[h for h, _ in columns]]
    rows += [[get(i, resp) for _, get in columns] for i, resp in enumerate(cr.responses)]
    return Sheet(MAIN_SHEET, rows)


def programmes_sheet(cr: CountryRound, render: Render) -> Sheet:
    """Kobo repeat group: one row per programme, joined to the main sheet by `_parent_index`."""
    specs = [q for q in reference.questions().values() if q.group == "programmes"]
    header = [_header(q, render) if render.labels else q.code for q in specs]
    rows: list[list[Cell]] = [[*header, "_index", "_parent_table_name", "_parent_index", "_submission__uuid"]]
    for i, resp in enumerate(cr.responses):
        for prog in resp.programmes:
            values = [render.value(q.code, prog[q.code]) for q in specs]
            rows.append([*values, len(rows), MAIN_SHEET, i + 1, resp.uuid])
    return Sheet("programmes", rows)

"""Reviewed mappings of national forms onto the vetdx codebook (seed `survey_form_mappings.csv`).

One row per export column, per choice of a column, or per constant answer:

| column        | meaning                                                                               |
|---------------|---------------------------------------------------------------------------------------|
| form_id       | the national form (its Kobo/ODK form id); a folder or file name starting with it      |
|               | selects the mapping, else the `_xform_id_string` column, else header coverage         |
| form_version  | blank: every version; else the row applies to exports holding that version only       |
| source        | the export column: XML name (`q12`), group path (`grp_a/q12`) or label; blank for a   |
|               | constant                                                                              |
| source_choice | blank for a column row; else one choice of that column as the export writes it (code   |
|               | or label; also the suffix of a select_multiple option column `q12/moodle`)            |
| question_code | the codebook question; blank: reviewed, not a vetdx question (the column stays        |
|               | unmapped: kept in `unmapped`, personal data redacted, listed in audit.loads)          |
| choice_code   | on a choice row: the codebook choice code it means; `-`: no codebook choice (the     |
|               | answer is left out: a select_one is then unanswered, an option column unmapped)       |
| constant      | with a blank source: the answer of every submission (`country` of a national form)    |
| note          | free text for the reviewer (the draft writes how it matched)                          |

Rows are checked against the codebook once, when the run's seeds are read; a form with a bad row
is not applied, and every export it would have read is rejected with that row's message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipelines.ingest.vocab.codebook import Codebook
from pipelines.ingest.vocab.text import fold

SEED_NAME = "survey_form_mappings"
SEED_FILE = f"{SEED_NAME}.csv"
COLUMNS = (
    "form_id",
    "form_version",
    "source",
    "source_choice",
    "question_code",
    "choice_code",
    "constant",
    "note",
)
IGNORE = "-"  # choice_code of a form's choice with no codebook equivalent ("autre", "other")
CONSTANT_PREFIX = "= "  # header of the column a constant answer becomes: "= country"
_CHOICE_TYPES = ("select_one", "select_multiple", "likert5", "yes_no")


@dataclass(frozen=True)
class MappedColumn:
    question_code: str | None  # None: reviewed and left unmapped
    choices: Mapping[str, str] = field(default_factory=dict)  # folded source choice -> codebook code


@dataclass(frozen=True)
class _Row:
    number: int
    version: str  # "" = every version
    source: str
    source_choice: str
    question_code: str
    choice_code: str
    constant: str


@dataclass(frozen=True)
class FormMapping:
    form_id: str
    columns: Mapping[str, MappedColumn]  # folded source -> mapping
    constants: tuple[tuple[str, str], ...] = ()  # (question code, answer)

    def lookup(self, text: str) -> MappedColumn | None:
        """The mapping of one header (or one group-path suffix of it), matched case- and
        accent-insensitively; constant columns ("= country") map to their question."""
        if text.startswith(CONSTANT_PREFIX):
            code = text[len(CONSTANT_PREFIX) :]
            if any(c == code for c, _ in self.constants):
                return MappedColumn(code)
        return self.columns.get(fold(text))

    @property
    def sources(self) -> frozenset[str]:
        """Folded sources mapped to a question (what header coverage counts)."""
        return frozenset(k for k, m in self.columns.items() if m.question_code)


@dataclass(frozen=True)
class _Form:
    form_id: str
    rows: tuple[_Row, ...]
    errors: tuple[str, ...]

    def resolve(self, versions: Iterable[str]) -> FormMapping:
        """The mapping for an export holding these form versions: rows of a named version win over
        rows for every version on the same source."""
        wanted = {fold(v) for v in versions if v}
        rows = [r for r in self.rows if not r.version or fold(r.version) in wanted]
        rows.sort(key=lambda r: (bool(r.version), r.number))  # specific versions applied last
        codes: dict[str, str | None] = {}
        choices: dict[str, dict[str, str]] = {}
        constants: dict[str, str] = {}
        for r in rows:
            if not r.source:
                constants[r.question_code] = r.constant
                continue
            key = fold(r.source)
            if not r.source_choice or key not in codes:
                codes[key] = r.question_code or None
            if r.source_choice:
                choices.setdefault(key, {})[fold(r.source_choice)] = r.choice_code
        columns = {k: MappedColumn(code, choices.get(k, {})) for k, code in codes.items()}
        return FormMapping(self.form_id, columns, tuple(constants.items()))


@dataclass(frozen=True)
class FormMappings:
    """Every national form of the mapping seed, checked against the codebook."""

    forms: Mapping[str, _Form] = field(default_factory=dict)  # folded form id -> form

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]], codebook: Codebook) -> FormMappings:
        grouped: dict[str, list[_Row]] = {}
        names: dict[str, str] = {}
        errors: dict[str, list[str]] = {}
        for number, raw in enumerate(rows, start=2):  # row 1 is the header
            cell = {c: (raw.get(c) or "").strip() for c in COLUMNS}
            form_id = cell["form_id"]
            if not form_id:
                if any(cell.values()):
                    errors.setdefault("", []).append(_where(number, "form_id") + "is empty")
                continue
            key = fold(form_id)
            names.setdefault(key, form_id)
            row = _Row(
                number,
                cell["form_version"],
                cell["source"],
                cell["source_choice"],
                cell["question_code"],
                cell["choice_code"],
                cell["constant"],
            )
            problem = _check(row, codebook)
            if problem:
                errors.setdefault(key, []).append(problem)
            grouped.setdefault(key, []).append(row)
        for key, rows_of in grouped.items():
            errors.setdefault(key, []).extend(_conflicts(rows_of))
        forms = {
            key: _Form(names[key], tuple(rows_of), tuple(errors.get(key, ()) + errors.get("", [])))
            for key, rows_of in grouped.items()
        }
        return cls(forms)

    def header_forms(self) -> tuple[FormMapping, ...]:
        """Every form with the rows of all its versions: what the header row may be made of."""
        return tuple(f.resolve({r.version for r in f.rows}) for f in self.forms.values())

    def named_in(self, display_name: str, form_ids: Iterable[str] = ()) -> _Form | None:
        """The form an export names: a folder of its path or the start of its file name (`tn_vet/`,
        `tn_vet_2024_labels.xlsx`), else a form id the export's rows carry (`_xform_id_string`)."""
        parts = [fold(p) for p in display_name.replace("\\", "/").split("/")]
        for key, form in self.forms.items():
            if key in parts[:-1] or any(parts[-1].startswith(key + sep) for sep in ("_", "-", " ", ".")):
                return form
        carried = {fold(i) for i in form_ids if i}
        return next((f for k, f in self.forms.items() if k in carried), None)


def _where(number: int, column: str) -> str:
    return f"{SEED_FILE} row {number}, column {column}: "


def _check(row: _Row, codebook: Codebook) -> str | None:
    """The first problem of one row, naming file, row and column; None when the row is usable."""
    q = codebook.questions.get(row.question_code) if row.question_code else None
    if row.question_code and q is None:
        return _where(row.number, "question_code") + f"'{row.question_code}' is not a codebook question"
    if not row.source:
        if not row.constant or q is None:
            return _where(row.number, "source") + "is empty (a constant row needs question_code and constant)"
        return None
    if row.constant:
        return _where(row.number, "constant") + "is only for rows without a source"
    if row.source_choice:
        if q is None or q.type not in _CHOICE_TYPES:
            return (
                _where(row.number, "source_choice")
                + f"'{row.source_choice}' is a choice, but question '{row.question_code}' has no choices"
            )
        codes = {c.code for c in codebook.choices.get(q.list_name or "", ())}
        if row.choice_code not in codes and row.choice_code != IGNORE:
            return (
                _where(row.number, "choice_code")
                + f"'{row.choice_code}' is not a choice of list '{q.list_name}' "
                f"({', '.join(sorted(codes))}; or {IGNORE} for none)"
            )
    elif row.choice_code:
        return _where(row.number, "choice_code") + "needs a source_choice on the same row"
    return None


def _conflicts(rows: list[_Row]) -> list[str]:
    """One source mapped to two questions within one version scope cannot be read either way."""
    seen: dict[tuple[str, str], _Row] = {}
    out = []
    for r in rows:
        if not r.source or not r.question_code:
            continue
        key = (fold(r.version), fold(r.source))
        first = seen.setdefault(key, r)
        if first.question_code != r.question_code:
            out.append(
                _where(r.number, "question_code")
                + f"source '{r.source}' is mapped to '{first.question_code}' on row {first.number} "
                f"and to '{r.question_code}' here"
            )
    return out

"""Survey exports (source `survey`) -> raw.survey_responses (one row per submission) and
raw.survey_answers (one row per answered question, per select-multiple option, per repeat instance).

Forms: KoboToolbox, ODK Central, LimeSurvey, label exports, plain tables of codebook codes (see
survey_columns.py). Personal data (privacy/pii.py): codebook columns with pii=hash/drop and unknown headers
that name a person or a contact never reach the output, `unmapped` or quarantine `original`
("[redacted]" there); hash columns feed `respondent_key` = HMAC-SHA256(pii_key, name|email|phone
normalised); e-mails, phones and labelled names inside other text become markers.

Values: yes/no and choices by code or label in EN/FR/AR; numbers in any notation (rows/numbers.py);
percent columns per `numbers.as_percent`; codebook min/max enforced (out_of_range). Select-multiple:
option columns win (all blank = not answered, 0 = not chosen, LimeSurvey `Y` = chosen), else the
summary column (space, comma or semicolon separated codes/labels).
Rows: a row with any invalid cell is rejected whole. Repeat-group rows (extra sheets joined by
`_parent_index`, `_submission__uuid` or `PARENT_KEY`) whose parent is absent or rejected are
`orphan_row`. Round: the `round` answer, else a year 2000-2099 in the file path.
National forms: a reviewed mapping (pipelines/collect/mapping.py) renames their columns and choices
to codebook codes; the file's folder or name, its `_xform_id_string`, else header coverage (when the
file is no vetdx export) picks the form. Columns the mapping does not cover stay `unmapped`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import polars as pl

from pipelines.collect.mapping import CONSTANT_PREFIX, IGNORE, FormMapping
from pipelines.ingest.context import ParseContext
from pipelines.ingest.privacy.pii import IDENTITY_META, identity_hash, redact_text
from pipelines.ingest.readers.grid import ROW
from pipelines.ingest.readers.header import Table
from pipelines.ingest.rows import reasons
from pipelines.ingest.rows.model import FileRejected, ParsedTable
from pipelines.ingest.rows.notes import empty_rows_note
from pipelines.ingest.rows.numbers import as_percent, parse_numbers
from pipelines.ingest.rows.rejects import REDACTED, reject_row, rejects_frame
from pipelines.ingest.schemas import RAW_TABLES
from pipelines.ingest.sources import hints
from pipelines.ingest.sources.survey_columns import Column, classify, form_kind, listed_in
from pipelines.ingest.vocab.codebook import Codebook, Question
from pipelines.ingest.vocab.text import fold
from pipelines.ingest.vocab.yes_no import yes_no

_NUMERIC = ("integer", "decimal", "percent")
_CHOICE = ("select_one", "likert5", "yes_no")
_RESPONSE_FIELDS = ("respondent_role", "institution_id", "institution_name")
_PARENT_LINKS = (("_parent_index", "_index"), ("_submission__uuid", "_uuid"), ("PARENT_KEY", "KEY"))
_VERSION_COLUMNS = ("__version__", "FormVersion", "_version_")
_FORM_ID_COLUMNS = ("_xform_id_string",)
_ID_COLUMNS = {
    "kobo": ("_uuid", "_id"),
    "odk": ("KEY", "instanceID", "meta-instanceID"),
    "limesurvey": ("id",),
    "plain": ("response_id", "id", "_uuid", "KEY"),
}


class RowError(Exception):
    def __init__(self, reason: str, column: str | None, problem: str) -> None:
        super().__init__(problem)
        self.reason, self.column, self.problem = reason, column, problem


@dataclass
class Sheet:
    table: Table
    columns: list[Column]
    numbers: dict[str, list[float | None]] = field(default_factory=dict)
    invalid: dict[str, list[bool]] = field(default_factory=dict)


def _prepare(table: Table, codebook: Codebook, form: FormMapping | None = None) -> Sheet:
    """Classify headers and parse every numeric question column at once (vectorised)."""
    sheet = Sheet(table, [classify(h, codebook, form) for h in table.headers])
    for col in sheet.columns:
        q = col.question
        if col.kind == "question" and q and q.type in _NUMERIC:
            parsed = parse_numbers(table.data[col.header])
            values = as_percent(parsed) if q.type == "percent" else parsed.value
            sheet.numbers[col.header] = values.to_list()
            sheet.invalid[col.header] = parsed.invalid.to_list()
    return sheet


def _find(headers: list[str], names: tuple[str, ...]) -> str | None:
    keys = {fold(h): h for h in headers}
    return next((keys[fold(n)] for n in names if fold(n) in keys), None)


def _timestamp(text: str | None) -> datetime | None:
    """ISO 8601 (Kobo/ODK, with offset -> UTC) or day-first dates (LimeSurvey/Excel in EN-GB/FR locales)."""
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
    except ValueError:
        pass
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise RowError(reasons.INVALID_DATE, None, f"'{text}' is not a date and time")


@dataclass
class Survey:
    ctx: ParseContext
    display_name: str
    kind: str
    round_from_path: int | None
    file_tag: str
    rejects: dict[str, list[dict[str, object]]] = field(
        default_factory=lambda: {"survey_responses": [], "survey_answers": []}
    )

    def answer(
        self, col: Column, raw: str, sheet: Sheet, i: int
    ) -> list[tuple[str | None, str | None, float | None]]:
        """(option_code, value_text, value_number) rows for one non-blank question cell."""
        q = col.question
        assert q is not None
        if q.type in _NUMERIC:
            if sheet.invalid[col.header][i]:
                raise RowError(reasons.INVALID_NUMBER, col.header, f"'{raw}' is not a number")
            number = sheet.numbers[col.header][i]
            if number is None:
                return []
            if q.type == "integer" and number != round(number):
                raise RowError(reasons.INVALID_NUMBER, col.header, f"'{raw}' is not a whole number")
            self._range(q, number, raw, col.header)
            return [(None, None, number)]
        if q.type in _CHOICE:
            if col.translate(raw) == IGNORE:
                return []  # a national form's choice the mapping says has no codebook equivalent
            choice = self.ctx.codebook.choice_for(q, col.translate(raw))
            if choice is None:
                raise RowError(
                    reasons.INVALID_CHOICE, col.header, f"'{raw}' is not a choice of list '{q.list_name}'"
                )
            value = choice.value if choice.value is not None else None
            if value is not None:
                self._range(q, value, raw, col.header)
            return [(None, choice.code, value)]
        if q.type == "select_multiple":
            return self._summary(q, raw, col)
        return [(None, raw, None)]

    def _range(self, q: Question, number: float, raw: str, header: str) -> None:
        if (q.min_value is not None and number < q.min_value) or (
            q.max_value is not None and number > q.max_value
        ):
            raise RowError(
                reasons.OUT_OF_RANGE,
                header,
                f"'{raw}' is outside {q.min_value:g}-{q.max_value:g}"
                if q.min_value is not None and q.max_value is not None
                else f"'{raw}' is out of range",
            )

    def _summary(
        self, q: Question, raw: str, col: Column
    ) -> list[tuple[str | None, str | None, float | None]]:
        options = self.ctx.codebook.choices.get(q.list_name or "", ())
        parts = (
            [p for p in re.split(r"\s*[,;|\n]\s*", raw) if p] if re.search(r"[,;|\n]", raw) else raw.split()
        )
        chosen = set()
        for part in parts:
            if col.translate(part) == IGNORE:
                continue
            choice = self.ctx.codebook.option_for(q, col.translate(part))
            if choice is None:
                raise RowError(
                    reasons.INVALID_CHOICE, col.header, f"'{part}' is not a choice of list '{q.list_name}'"
                )
            chosen.add(choice.code)
        return [(c.code, c.code, 1.0 if c.code in chosen else 0.0) for c in options]

    def options(
        self, q: Question, cells: list[tuple[Column, str | None]]
    ) -> list[tuple[str | None, str | None, float | None]]:
        if all(v is None for _, v in cells):
            return []  # the question was not answered (or not shown)
        out = []
        for col, raw in cells:
            chosen = False if raw is None else yes_no(raw, "option")
            if chosen is None:
                raise RowError(reasons.INVALID_CHOICE, col.header, f"'{raw}' is not 0/1 for an option column")
            assert col.option is not None
            out.append((col.option.code, col.option.code, 1.0 if chosen else 0.0))
        return out

    def row_answers(
        self, sheet: Sheet, i: int, row: dict[str, str | None], skip_groups: tuple[str, ...]
    ) -> list[tuple[str, str | None, str | None, float | None]]:
        answers: list[tuple[str, str | None, str | None, float | None]] = []
        grouped: dict[str, list[tuple[Column, str | None]]] = {}
        for col in sheet.columns:
            q = col.question
            if q is None or col.kind == "pii" or q.group in skip_groups:
                continue
            if col.kind == "option":
                grouped.setdefault(q.code, []).append((col, row[col.header]))
        for col in sheet.columns:
            q, raw = col.question, row[col.header]
            if col.kind != "question" or q is None or q.group in skip_groups or raw is None:
                continue
            if q.type == "select_multiple" and q.code in grouped:
                continue  # option columns carry the same answer, one 0/1 per option
            answers += [(q.code, *a) for a in self.answer(col, raw, sheet, i)]
        for code, cells in grouped.items():
            answers += [(code, *a) for a in self.options(self.ctx.codebook.questions[code], cells)]
        return answers

    def original(self, sheet: Sheet, row: dict[str, str | None]) -> dict[str, str | None]:
        """Cells as read, PII masked; free-text unknown columns get contact details scrubbed."""
        out: dict[str, str | None] = {}
        for c in sheet.columns:
            raw = row[c.header]
            if c.kind == "pii" or c.header.strip().casefold() in IDENTITY_META:
                out[c.header] = REDACTED
            else:
                out[c.header] = redact_text(raw) if c.kind == "unknown" and raw is not None else raw
        return out

    def reject(self, table_name: str, sheet: Sheet, row: dict[str, str | None], err: RowError) -> None:
        self.rejects[table_name].append(
            reject_row(
                self.display_name,
                sheet.table.sheet,
                row[ROW],
                err.reason,
                err.column,
                err.problem,
                self.original(sheet, row),
            )
        )


def _by_code(sheet: Sheet, code: str) -> Column | None:
    return next(
        (c for c in sheet.columns if c.question and c.question.code == code and c.kind == "question"), None
    )


def _main_row(
    sv: Survey, sheet: Sheet, i: int, row: dict[str, str | None], id_header: str | None
) -> tuple[dict, list]:
    ctx = sv.ctx
    country_col = _by_code(sheet, "country")
    assert country_col is not None
    country_raw = row[country_col.header]
    if country_raw is None:
        raise RowError(reasons.MISSING_REQUIRED, country_col.header, "country is empty")
    iso3 = ctx.countries.resolve(country_raw)
    if iso3 is None:
        raise RowError(
            reasons.UNRESOLVED_COUNTRY,
            country_col.header,
            f"'{country_raw}' is not an OIC member state name or code",
        )
    round_col = _by_code(sheet, "round")
    year = sv.round_from_path
    if round_col and row[round_col.header] is not None:
        year = int(sv.answer(round_col, row[round_col.header], sheet, i)[0][2])
    if year is None:
        raise RowError(
            reasons.MISSING_REQUIRED,
            round_col.header if round_col else None,
            "survey round is empty and the file path holds no year",
        )
    fields: dict[str, object] = {}
    for code in _RESPONSE_FIELDS:
        col = _by_code(sheet, code)
        raw = row[col.header] if col else None
        if col and raw is not None:
            fields[code] = sv.answer(col, raw, sheet, i)[0][1]
        elif col and col.question and col.question.required:
            raise RowError(reasons.MISSING_REQUIRED, col.header, f"{code} is empty")
    ident = row[id_header] if id_header else None
    prefix = sv.kind if sv.kind in ("kobo", "odk") else f"{sv.kind}:{sv.file_tag}"
    headers = sheet.table.headers
    meta = {
        name: (row[h] if (h := _find(headers, names)) else None)
        for name, names in (
            ("time", ("_submission_time", "SubmissionDate", "submitdate")),
            ("version", ("__version__", "FormVersion", "_version_")),
            ("status", ("_validation_status", "ReviewState")),
        )
    }
    try:
        submitted = _timestamp(meta["time"])
    except RowError as err:
        raise RowError(
            err.reason, _find(headers, ("_submission_time", "SubmissionDate", "submitdate")), err.problem
        ) from err
    hashed = [row[c.header] or "" for c in sheet.columns if c.question and c.question.pii == "hash"]
    unmapped = {
        c.header: redact_text(row[c.header])
        for c in sheet.columns
        if c.kind == "unknown" and row[c.header] is not None
    }
    response = {
        "response_id": f"{prefix}:{ident if ident is not None else row[ROW]}",
        "iso3": iso3,
        "round": year,
        "form_kind": sv.kind,
        "submitted_at": submitted,
        **{k: fields.get(k) for k in _RESPONSE_FIELDS},
        "respondent_key": identity_hash(hashed, ctx.pii_key),
        "form_version": meta["version"],
        "validation_status": meta["status"],
        "unmapped": json.dumps(unmapped, ensure_ascii=False) if unmapped else None,
        "_sheet": sheet.table.sheet,
        "_row_number": row[ROW],
    }
    answers = sv.row_answers(sheet, i, row, ("meta", "identity"))
    return response, answers


def _frame(rows: list[dict[str, object]], table: str) -> pl.DataFrame:
    schema = {
        **{c: _TYPES[t] for c, t in RAW_TABLES[table].columns.items()},
        "_sheet": pl.Utf8,
        "_row_number": pl.Int32,
    }
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


_TYPES = {
    "VARCHAR": pl.Utf8,
    "INTEGER": pl.Int32,
    "TIMESTAMP": pl.Datetime("us"),
    "JSON": pl.Utf8,
    "DOUBLE": pl.Float64,
}


def parse_survey(
    tables: list[Table], ctx: ParseContext, display_name: str
) -> tuple[list[ParsedTable], int, str, list[str], list[str]]:
    """(tables, rows read, form kind, unknown columns, notes)."""
    form = _form_for(tables, ctx, display_name)
    if form is not None:
        tables = [t if _is_child(t) else _with_constants(t, form) for t in tables]
    sheets = [_prepare(t, ctx.codebook, form) for t in tables]
    is_child = [_is_child(s.table) for s in sheets]
    mains = [s for s, child in zip(sheets, is_child, strict=True) if not child]
    if not mains:
        raise FileRejected(reasons.NO_HEADER_FOUND, f"{display_name}: no main survey table found")
    main = max(mains, key=lambda s: sum(c.kind != "unknown" for c in s.columns))
    for code, q in ctx.codebook.questions.items():
        if (
            q.required
            and not _by_code(main, code)
            and not (code == "round" and hints.year_from_path(display_name))
        ):
            raise FileRejected(
                reasons.MISSING_REQUIRED_COLUMN,
                f"{display_name}: required column '{code}' ({q.labels[0] if q.labels else code}) is missing"
                + (f" (form mapping '{form.form_id}' maps no column of this file to it)" if form else ""),
            )
    kind = form_kind(main.table.headers)
    sv = Survey(
        ctx,
        display_name,
        kind,
        hints.year_from_path(display_name),
        hashlib.sha1(display_name.encode()).hexdigest()[:8],
    )
    id_header = _find(main.table.headers, _ID_COLUMNS[kind])
    responses, answers, parents, seen = [], [], {}, set()
    rows_read = 0
    notes: list[str] = []
    for i, row in enumerate(main.table.data.iter_rows(named=True)):
        rows_read += 1
        try:
            response, row_answers = _main_row(sv, main, i, row, id_header)
            if response["response_id"] in seen:
                raise RowError(
                    reasons.DUPLICATE_KEY,
                    id_header,
                    f"response id '{response['response_id']}' repeats an earlier row",
                )
        except RowError as err:
            sv.reject("survey_responses", main, row, err)
            continue
        seen.add(response["response_id"])
        responses.append(response)
        base = {"response_id": response["response_id"], "iso3": response["iso3"], "round": response["round"]}
        answers += [
            {
                **base,
                "question_code": q,
                "option_code": o,
                "repeat_group": None,
                "repeat_index": None,
                "value_text": t,
                "value_number": n,
                "_sheet": main.table.sheet,
                "_row_number": row[ROW],
            }
            for q, o, t, n in row_answers
        ]
        for _, parent_col in _PARENT_LINKS:
            h = _find(main.table.headers, (parent_col,))
            if h and row[h] is not None:
                parents[(parent_col, row[h])] = base
    for sheet, child in zip(sheets, is_child, strict=True):
        if child:
            repeat_answers, empty = _repeat_rows(sv, sheet, parents)
            answers += repeat_answers
            rows_read += sheet.table.data.height - len(empty)
            notes += empty_rows_note(display_name, sheet.table.sheet, empty)
    unknown = [c.header for s in sheets for c in s.columns if c.kind == "unknown"]
    if form is not None:
        mapped = sum(c.kind != "meta" and c.question is not None for s in sheets for c in s.columns)
        notes.append(
            f"{display_name}: read through form mapping '{form.form_id}': {mapped} columns mapped to "
            f"codebook questions, {len(set(unknown))} not covered (listed in unknown_columns)"
        )
    return (
        [
            ParsedTable(
                "survey_responses",
                _frame(responses, "survey_responses"),
                rejects_frame(sv.rejects["survey_responses"]),
            ),
            ParsedTable(
                "survey_answers",
                _frame(answers, "survey_answers"),
                rejects_frame(sv.rejects["survey_answers"]),
            ),
        ],
        rows_read,
        kind,
        list(dict.fromkeys(unknown)),
        notes,
    )


def _is_child(table: Table) -> bool:
    """A repeat-group sheet: its rows point at a parent submission."""
    return any(_find(table.headers, (link,)) for link, _ in _PARENT_LINKS)


def _column_values(tables: list[Table], names: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for t in tables:
        h = _find(t.headers, names)
        if h:
            out |= {v for v in t.data[h].drop_nulls().unique().to_list() if v}
    return out


def _form_for(tables: list[Table], ctx: ParseContext, display_name: str) -> FormMapping | None:
    """The national form mapping this export is read through, or None (a vetdx export).

    Named forms win (folder or file name, `_xform_id_string`). Otherwise a file that already holds
    every required codebook column is a vetdx export; one that does not is read through the form
    whose mapped columns it covers best, when it holds at least half of them (and two or more).
    """
    mappings = ctx.form_mappings
    if not mappings.forms:
        return None
    versions = _column_values(tables, _VERSION_COLUMNS)
    named = mappings.named_in(display_name, _column_values(tables, _FORM_ID_COLUMNS))
    if named is None:
        headers = [h for t in tables if not _is_child(t) for h in t.headers]
        native = {c.question.code for h in headers if (c := classify(h, ctx.codebook)).question}
        required = {code for code, q in ctx.codebook.questions.items() if q.required and code != "round"}
        if required <= native:
            return None
        best, best_hits = None, 0
        for candidate in mappings.forms.values():
            form = candidate.resolve(versions)
            hits = len({fold(h) for h in headers if (m := listed_in(form, h)) and m.question_code})
            if hits >= max(2, len(form.sources) / 2) and hits > best_hits:
                best, best_hits = candidate, hits
        named = best
    if named is None:
        return None
    if named.errors:
        more = f" (and {len(named.errors) - 1} more)" if len(named.errors) > 1 else ""
        raise FileRejected(
            reasons.INVALID_MAPPING,
            f"{display_name}: form mapping '{named.form_id}' cannot be applied: {named.errors[0]}{more}",
        )
    return named.resolve(versions)


def _with_constants(table: Table, form: FormMapping) -> Table:
    """The table with one column per constant answer of the mapping ("= country": "TUN")."""
    missing = [
        (code, value) for code, value in form.constants if f"{CONSTANT_PREFIX}{code}" not in table.headers
    ]
    if not missing:
        return table
    data = table.data.with_columns(
        pl.lit(v, dtype=pl.Utf8).alias(f"{CONSTANT_PREFIX}{c}") for c, v in missing
    )
    return replace(table, headers=[*table.headers, *(f"{CONSTANT_PREFIX}{c}" for c, _ in missing)], data=data)


def _repeat_rows(
    sv: Survey, sheet: Sheet, parents: dict[tuple[str, str], dict]
) -> tuple[list[dict[str, object]], list[int]]:
    """(answer rows, row numbers of instances without any answer)."""
    link = next((pair for pair in _PARENT_LINKS if _find(sheet.table.headers, (pair[0],))), None)
    assert link is not None
    link_header = _find(sheet.table.headers, (link[0],))
    counters: dict[str, int] = {}
    out: list[dict[str, object]] = []
    empty: list[int] = []
    group = sheet.table.sheet or "repeat"
    for i, row in enumerate(sheet.table.data.iter_rows(named=True)):
        base = parents.get((link[1], row[link_header]))
        try:
            if base is None:
                raise RowError(
                    reasons.ORPHAN_ROW,
                    link_header,
                    f"parent '{row[link_header]}' is not an accepted submission of this file",
                )
            row_answers = sv.row_answers(sheet, i, row, ("identity",))
        except RowError as err:
            sv.reject("survey_answers", sheet, row, err)
            continue
        counters[base["response_id"]] = counters.get(base["response_id"], 0) + 1
        if not row_answers:
            empty.append(row[ROW])  # an instance with every answer blank: no data, not read
        out += [
            {
                **base,
                "question_code": q,
                "option_code": o,
                "repeat_group": group,
                "repeat_index": counters[base["response_id"]],
                "value_text": t,
                "value_number": n,
                "_sheet": sheet.table.sheet,
                "_row_number": row[ROW],
            }
            for q, o, t, n in row_answers
        ]
    return out, empty

"""What each header of a survey export is: metadata, a codebook question, a select-multiple option,
personal data, or unknown.

Recognised header shapes: codebook codes; labels (EN/FR/AR); Kobo group paths `grp/q` (nested);
ODK Central `grp-q`; select-multiple option columns `grp/q/opt` (option code or label); LimeSurvey
`CODE[SQ001]` (SQ001 = first choice of the list) with codes stripped of underscores.
With a national form's mapping (pipelines/collect/mapping.py), a header the mapping lists (itself
or a group-path suffix) is what the mapping says, its choices translated; headers it does not list
are read as above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipelines.collect.mapping import FormMapping, MappedColumn
from pipelines.ingest.privacy.pii import is_personal_header
from pipelines.ingest.vocab.codebook import Choice, Codebook, Question
from pipelines.ingest.vocab.text import fold

KOBO_META = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "__version__",
    "_index",
    "_parent_index",
    "_parent_table_name",
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
    "_submission__validation_status",
    "_status",
    "_submitted_by",
    "_notes",
    "_tags",
    "_attachments",
    "_geolocation",
    "_xform_id_string",
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "meta/instanceID",
    "meta/rootUuid",
    "meta/deprecatedID",
    "formhub/uuid",
)
ODK_META = (
    "SubmissionDate",
    "KEY",
    "PARENT_KEY",
    "ReviewState",
    "FormVersion",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "DeviceID",
    "Edits",
    "instanceID",
    "meta-instanceID",
)
LIMESURVEY_META = (
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "token",
    "interviewtime",
)
# Exact (casefolded) names: `fold` would merge "_notes" with a real "notes" column.
_META = {m.casefold() for m in (*KOBO_META, *ODK_META, *LIMESURVEY_META)}
_SEPARATOR = re.compile(r"\s*[/:]\s*|(?<=\w)-(?=\w)")
_LIMESURVEY = re.compile(r"^(.+?)\[(.+)\]$")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # meta | question | option | pii | unknown
    question: Question | None = None
    option: Choice | None = None
    # A mapped form's own choice codes/labels (folded) -> codebook choice codes.
    choice_map: Mapping[str, str] = field(default_factory=dict)

    def translate(self, text: str) -> str:
        """An answer in the form's own choice code or label, as the codebook's choice code."""
        return self.choice_map.get(fold(text), text)


def _option(codebook: Codebook, parent: str, child: str) -> tuple[Question, Choice] | None:
    q = _question(codebook, parent)
    if q is None or q.type != "select_multiple":
        return None
    choice = codebook.option_for(q, child)
    return (q, choice) if choice else None


def _question(codebook: Codebook, header: str) -> Question | None:
    """The header itself, else its shortest group-path suffix that is a question."""
    found = codebook.question_for(header)
    if found:
        return found
    for m in _SEPARATOR.finditer(header):
        found = codebook.question_for(header[m.end() :])
        if found:
            return found
    return None


def listed_in(form: FormMapping, header: str) -> MappedColumn | None:
    """The mapping of the header itself, else of its shortest group-path suffix the form lists."""
    found = form.lookup(header)
    if found:
        return found
    for m in _SEPARATOR.finditer(header):
        found = form.lookup(header[m.end() :])
        if found:
            return found
    return None


def _mapped(header: str, codebook: Codebook, form: FormMapping) -> Column | None:
    """What a mapped form's header is, or None when the mapping does not list it."""
    listed = listed_in(form, header)
    if listed:
        q = codebook.questions.get(listed.question_code or "")
        if q is None:  # reviewed, not a vetdx question: unmapped (personal data still caught)
            return Column(header, "pii" if is_personal_header(header) else "unknown")
        return _with_pii(Column(header, "question", q, choice_map=listed.choices))
    for sep in reversed(list(_SEPARATOR.finditer(header))):
        parent = listed_in(form, header[: sep.start()])
        q = codebook.questions.get(parent.question_code or "") if parent else None
        if parent and q and q.type == "select_multiple":
            child = header[sep.end() :]
            choice = codebook.option_for(q, parent.choices.get(fold(child), child))
            if choice:
                return _with_pii(Column(header, "option", q, choice))
    return None


def classify(header: str, codebook: Codebook, form: FormMapping | None = None) -> Column:
    last = header.strip().split("/")[-1].casefold()
    if header.strip().casefold() in _META or (last.startswith("_") and last in _META):
        return Column(header, "meta")
    if form is not None and (mapped := _mapped(header, codebook, form)):
        return mapped
    m = _LIMESURVEY.match(header)
    if m and (pair := _option(codebook, m.group(1), m.group(2))):
        return _with_pii(Column(header, "option", *pair))
    q = _question(codebook, header)
    if q:
        return _with_pii(Column(header, "question", q))
    for sep in reversed(list(_SEPARATOR.finditer(header))):
        pair = _option(codebook, header[: sep.start()], header[sep.end() :])
        if pair:
            return _with_pii(Column(header, "option", *pair))
    if is_personal_header(header):  # names, contacts: personal data, never kept
        return Column(header, "pii")
    return Column(header, "unknown")


def _with_pii(col: Column) -> Column:
    return Column(col.header, "pii", col.question) if col.question and col.question.pii != "none" else col


def is_header_word(cell: str, codebook: Codebook, forms: Iterable[FormMapping] = ()) -> bool:
    """A header cell of the vetdx form or of a mapped national form (finds the header row)."""
    return classify(cell, codebook).kind != "unknown" or any(listed_in(f, cell) is not None for f in forms)


def form_kind(headers: list[str]) -> str:
    keys = {fold(h) for h in headers}
    if keys & {fold("_uuid"), fold("_submission_time"), fold("_index"), fold("_parent_index")}:
        return "kobo"
    if keys & {fold("SubmissionDate"), fold("KEY"), fold("ReviewState"), fold("PARENT_KEY")}:
        return "odk"
    if fold("submitdate") in keys or fold("startlanguage") in keys or fold("lastpage") in keys:
        return "limesurvey"
    return "plain"

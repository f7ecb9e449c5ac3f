"""Submissions written the way KoboToolbox and ODK Central export them.

Kobo (XLSX or CSV): headers are XML names or labels in one language, with group paths joined by `/`
(`grp_infrastructure/broadband_mbps`, `Infrastructure/Contracted download speed (Mbps)`);
select_multiple as one cell of space-separated choices and/or one 0/1 column per option
(`.../digital_tools/lms`); metadata `_id, _uuid, _submission_time, _validation_status, __version__,
_index` after the questions; repeats on their own sheet (XLSX only) linked by `_parent_index`.
ODK Central (CSV): `SubmissionDate` first, group paths joined by `-`, select_multiple one cell, then
`meta-instanceID, KEY, SubmitterID, SubmitterName, ..., ReviewState, FormVersion`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from pipelines.collect.xlsform import LANGUAGES, XLSForm
from tests.collect.synthetic import Node, Submission, nodes

LANG_COLUMN = dict(LANGUAGES)


@dataclass(frozen=True)
class Shape:
    name: str
    fmt: str  # xlsx | csv
    labels: str | None  # None: XML names; else the label language (en | fr | ar)
    split: bool  # one 0/1 column per select_multiple option
    summary: bool  # one cell of space-separated choices
    tool: str = "kobo"  # kobo | odk
    delimiter: str = ","

    @property
    def sep(self) -> str:
        return "-" if self.tool == "odk" else "/"


SHAPES = (
    Shape("kobo_labels_en", "xlsx", "en", split=True, summary=True),
    Shape("kobo_labels_fr", "xlsx", "fr", split=True, summary=False),
    Shape("kobo_labels_ar", "xlsx", "ar", split=True, summary=True),
    Shape("kobo_names_xlsx", "xlsx", None, split=True, summary=True),
    Shape("kobo_names_xlsx_summary", "xlsx", None, split=False, summary=True),
    Shape("kobo_names_csv", "csv", None, split=False, summary=True, delimiter=";"),
    Shape("kobo_names_csv_split", "csv", None, split=True, summary=False),
    Shape("odk_csv", "csv", None, split=False, summary=True, tool="odk"),
)


def _label(row: dict[str, str], lang: str) -> str:
    return row[f"label::{LANG_COLUMN[lang]}"]


def _path(node: Node, shape: Shape, top: bool) -> list[str]:
    groups = [] if top else [g for g in node.groups if g["type"] == "begin_group" or shape.labels is None]
    parts = [(_label(g, shape.labels) if shape.labels else g["name"]) for g in groups]
    return [*parts, _label(node.row, shape.labels) if shape.labels else node.name]


def _choice(form: XLSForm, node: Node, name: str, shape: Shape) -> str:
    if shape.labels is None:
        return name
    row = next(c for c in form.choices if c["list_name"] == node.list_name and c["name"] == name)
    return _label(row, shape.labels)


def _columns(form: XLSForm, shape: Shape, repeat: bool) -> list[tuple[str, object]]:
    """(header, how to read the value from an answers dict) for the main or the repeat sheet."""
    out: list[tuple[str, object]] = []
    for node in nodes(form):
        if (node.repeat is not None) != repeat:
            continue
        top = not node.groups or (repeat and shape.labels is not None)
        head = shape.sep.join(_path(node, shape, top))
        if node.type != "select_multiple":
            out.append((head, ("value", node)))
            continue
        if shape.summary:
            out.append((head, ("summary", node)))
        if shape.split:
            for c in (c for c in form.choices if c["list_name"] == node.list_name):
                out.append((f"{head}/{_choice(form, node, c['name'], shape)}", ("option", node, c["name"])))
    return out


def _cell(form: XLSForm, how: tuple, values: dict[str, object], shape: Shape) -> object:
    node: Node = how[1]
    value = values.get(node.name)
    if value is None:
        return None
    if how[0] == "summary":
        return " ".join(_choice(form, node, v, shape) for v in value)  # type: ignore[union-attr]
    if how[0] == "option":
        return 1 if how[2] in value else 0  # type: ignore[operator]
    if node.type == "select_one":
        return _choice(form, node, value, shape)  # type: ignore[arg-type]
    return value


def write_export(form: XLSForm, subs: list[Submission], shape: Shape, path: Path) -> Path:
    main = _columns(form, shape, repeat=False)
    if shape.tool == "odk":
        headers = ["SubmissionDate", *(h for h, _ in main)]
        headers += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "ReviewState", "FormVersion"]
        rows = [
            [
                f"{s.submitted}.000Z",
                *(_cell(form, how, s.values, shape) for _, how in main),
                f"uuid:{s.uuid}",
                f"uuid:{s.uuid}",
                str(100 + s.index),
                "Enumerator Karim Haddad",  # a person: ODK metadata, never kept
                ("approved", "", "hasIssues")[s.index % 3],
                s.version,
            ]
            for s in subs
        ]
    else:
        headers = [h for h, _ in main] + ["_id", "_uuid", "_submission_time", "_validation_status"]
        headers += ["__version__", "_index"]
        rows = [
            [
                *(_cell(form, how, s.values, shape) for _, how in main),
                s.index,
                s.uuid,
                s.submitted,
                s.status,
                s.version,
                s.index,
            ]
            for s in subs
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    if shape.fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=shape.delimiter)
            writer.writerow(headers)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = form.settings["form_id"]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    repeat = _columns(form, shape, repeat=True)
    if repeat:
        name = next(n.repeat for n in nodes(form) if n.repeat)
        child = book.create_sheet(name)
        child.append(
            [h for h, _ in repeat] + ["_index", "_parent_table_name", "_parent_index", "_submission__uuid"]
        )
        k = 0
        for s in subs:
            for instance in s.repeats:
                k += 1
                cells = [_cell(form, how, instance, shape) for _, how in repeat]
                child.append([*cells, k, form.settings["form_id"], s.index, s.uuid])
    book.save(path)
    return path


def response_id(shape: Shape):
    """How the parser names a submission of this shape (Kobo `_uuid`, ODK `KEY`)."""
    return (lambda s: f"odk:uuid:{s.uuid}") if shape.tool == "odk" else (lambda s: f"kobo:{s.uuid}")

"""A national form unlike vetdx's (other names, other choice codes, extra questions, no country
column) lands through a reviewed mapping; what the mapping does not cover is listed, personal data
is hashed or redacted; a bad mapping row rejects the file naming the row; vetdx exports are untouched.
The drafter proposes that mapping from a label export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipelines.collect.draft import draft_mapping
from pipelines.collect.mapping import COLUMNS, SEED_NAME
from pipelines.ingest.context import ParseContext
from pipelines.ingest.privacy.pii import identity_hash
from pipelines.seeds import SeedRows
from tests.collect.conftest import PII_KEY, land

# The reviewed mapping of "tn_eftp" (a Tunisian TVET form): as a person leaves it after review.
MAPPING = """form_id,form_version,source,source_choice,question_code,choice_code,constant,note
tn_eftp,,,,country,,TUN,every submission is Tunisia's
tn_eftp,,annee,,round,,,
tn_eftp,,type_repondant,,respondent_role,,,
tn_eftp,,type_repondant,1,respondent_role,national,,
tn_eftp,,type_repondant,2,respondent_role,institution,,
tn_eftp,,code_etab,,institution_id,,,
tn_eftp,,nom_etab,,institution_name,,,
tn_eftp,,nom_point_focal,,respondent_name,,,
tn_eftp,,courriel_point_focal,,respondent_email,,,
tn_eftp,,infra/debit_internet,,broadband_mbps,,,
tn_eftp,v2,infra/debit_mbps,,broadband_mbps,,,renamed in v2
tn_eftp,v9,gouvernorat,,institution_name,,,a version this export does not hold
tn_eftp,,salle_info,o,has_computer_lab,yes,,
tn_eftp,,salle_info,n,has_computer_lab,no,,
tn_eftp,,pedagogie/outils,,digital_tools,,,
tn_eftp,,pedagogie/outils,moodle,digital_tools,lms,,
tn_eftp,,pedagogie/outils,youtube,digital_tools,video_lessons,,
tn_eftp,,pedagogie/outils,impression3d,digital_tools,3d_printing,,
tn_eftp,,pedagogie/outils,autre,digital_tools,-,,no codebook equivalent
tn_eftp,,politique/strategie,a,national_strategy,none,,
tn_eftp,,politique/strategie,b,national_strategy,planned,,
tn_eftp,,politique/strategie,c,national_strategy,drafting,,
tn_eftp,,politique/strategie,d,national_strategy,adopted,,
tn_eftp,,politique/strategie,e,national_strategy,implemented,,
tn_eftp,,politique/cadre_legal,,legal_framework,,,same codes 1-5 as vetdx
tn_eftp,,formations/intitule,,programme_name,,,
tn_eftp,,formations/heures_tic,,programme_ict_hours,,,
tn_eftp,,commentaire,,,,,free text: not a vetdx question
"""

HEADERS = [
    "annee", "type_repondant", "gouvernorat", "code_etab", "nom_etab", "nom_point_focal",
    "courriel_point_focal", "infra/debit_internet", "infra/debit_mbps", "salle_info", "infra/nb_ateliers",
    "pedagogie/outils", "pedagogie/outils/moodle", "pedagogie/outils/youtube",
    "pedagogie/outils/impression3d", "pedagogie/outils/autre", "politique/strategie",
    "politique/cadre_legal", "commentaire", "_id", "_uuid", "_submission_time", "__version__", "_index",
]  # fmt: skip
ROWS = [
    # national focal point, v1
    [2024, 1, "Tunis", None, None, "Sonia Trabelsi", "sonia.trabelsi@example.tn", None, None, None, None,
     None, None, None, None, None, "d", 4, "Appeler Sonia au +216 71 123 456", 1, "tn-1",
     "2024-05-02T09:00:00", "v1", 1],
    # institution, v1: speed in the v1 column
    [2024, 2, "Sfax", "ISET-SF", "ISET Sfax", "Ali Ben Salah", "ali.bensalah@example.tn", 48.5, None, "o", 12,
     "moodle autre", 1, 0, 0, 1, None, None, None, 2, "tn-2", "2024-05-03T10:00:00", "v1", 2],
    # institution, v2: speed in the renamed column; no tool chosen but "autre"
    [2024, 2, "Sousse", "CSF-SO", "CSF Sousse", "Hela Mansour", "hela.mansour@example.tn", None, 100, "n", 3,
     "autre", 0, 0, 0, 1, None, None, "ok", 3, "tn-3", "2024-05-04T11:00:00", "v2", 3],
]  # fmt: skip
PROGRAMMES = [["Soudure", 40, 2], ["Maintenance", 60.5, 2], ["Électricité", 35, 3]]  # name, hours, parent
UNCOVERED = ["gouvernorat", "infra/nb_ateliers", "pedagogie/outils/autre", "commentaire"]


def _mapping_rows(text: str = MAPPING) -> SeedRows:
    return [{k: v or "" for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]


def _ctx(seeds: Mapping[str, SeedRows], rows: SeedRows) -> ParseContext:
    return ParseContext.from_seed_rows({**seeds, SEED_NAME: rows}, PII_KEY)


def _write(path: Path, headers: list[str] = HEADERS, rows: list[list] = ROWS, repeat: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Enquete EFTP"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if repeat:  # Kobo's repeat sheet, linked by _parent_index
        child = book.create_sheet("formations")
        child.append(
            ["formations/intitule", "formations/heures_tic", "_index", "_parent_index", "_submission__uuid"]
        )
        for k, (name, hours, parent) in enumerate(PROGRAMMES, start=1):
            child.append([name, hours, k, parent, f"tn-{parent}"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _answers(con) -> dict[tuple, tuple]:
    return {
        (r, q, o, i): (t, n)
        for r, q, o, i, t, n in con.execute(
            "SELECT response_id, question_code, option_code, repeat_index, value_text, value_number "
            "FROM raw.survey_answers"
        ).fetchall()
    }


@pytest.mark.parametrize("name", ["survey/tn_eftp/export_2024.xlsx", "survey/2024/Enquete_EFTP_labels.xlsx"])
def test_a_national_form_lands_through_its_reviewed_mapping(
    tmp_path: Path, seeds: Mapping[str, SeedRows], name: str
) -> None:
    """By folder name, and by header coverage when the file name says nothing."""
    _write(tmp_path / "raw" / name)
    con = land(tmp_path / "raw", tmp_path / "w.duckdb", _ctx(seeds, _mapping_rows()))
    status, landed, quarantined, unknown, message = con.execute(
        "SELECT status, rows_landed, rows_quarantined, unknown_columns, message FROM audit.loads"
    ).fetchone()
    assert (status, landed, quarantined) == ("loaded", 3 + 3, 0)
    assert json.loads(unknown) == UNCOVERED
    assert "read through form mapping 'tn_eftp'" in message and "4 not covered" in message

    responses = con.execute(
        "SELECT response_id, iso3, round, respondent_role, institution_id, institution_name, respondent_key, "
        "form_version, unmapped FROM raw.survey_responses ORDER BY response_id"
    ).fetchall()
    assert [r[:6] for r in responses] == [
        ("kobo:tn-1", "TUN", 2024, "national", None, None),
        ("kobo:tn-2", "TUN", 2024, "institution", "ISET-SF", "ISET Sfax"),
        ("kobo:tn-3", "TUN", 2024, "institution", "CSF-SO", "CSF Sousse"),
    ]
    people = [(r[5], r[6]) for r in ROWS]
    assert [r[6] for r in responses] == [identity_hash(p, PII_KEY) for p in people]
    assert [r[7] for r in responses] == ["v1", "v1", "v2"]
    unmapped = [json.loads(r[8]) for r in responses]
    assert unmapped[0] == {"gouvernorat": "Tunis", "commentaire": "Appeler Sonia au [phone]"}
    assert unmapped[1] == {"gouvernorat": "Sfax", "infra/nb_ateliers": "12", "pedagogie/outils/autre": "1"}

    got = _answers(con)
    assert got[("kobo:tn-1", "national_strategy", None, None)] == ("adopted", 3.0)
    assert got[("kobo:tn-1", "legal_framework", None, None)] == ("4", 4.0)
    assert got[("kobo:tn-2", "broadband_mbps", None, None)] == (None, 48.5)
    assert got[("kobo:tn-3", "broadband_mbps", None, None)] == (None, 100.0)  # v2's renamed column
    assert got[("kobo:tn-2", "has_computer_lab", None, None)] == ("yes", 1.0)
    assert got[("kobo:tn-3", "has_computer_lab", None, None)] == ("no", 0.0)
    tools = {o: n for (r, q, o, _), (_, n) in got.items() if r == "kobo:tn-2" and q == "digital_tools"}
    assert tools == {"lms": 1.0, "video_lessons": 0.0, "3d_printing": 0.0}  # option columns; autre left out
    assert got[("kobo:tn-2", "programme_name", None, 1)] == ("Soudure", None)
    assert got[("kobo:tn-2", "programme_ict_hours", None, 2)] == (None, 60.5)
    assert got[("kobo:tn-3", "programme_name", None, 1)] == ("Électricité", None)
    # national 2; each institution speed, lab and 3 option columns; 3 programmes x 2: nothing else
    assert len(got) == 2 + 5 + 5 + 3 * 2
    assert not any(q == "institution_name" for _, q, _, _ in got)  # the v9 row did not apply

    text = "\n".join(
        str(v)
        for t in ("raw.survey_responses", "raw.survey_answers", "audit.loads", "quarantine.survey_responses")
        for row in con.execute(f"SELECT * FROM {t}").fetchall()
        for v in row
    )
    for secret in (
        "Sonia Trabelsi",
        "sonia.trabelsi@example.tn",
        "Ali Ben Salah",
        "hela.mansour",
        "71 123 456",
    ):
        assert secret not in text


def test_summary_cell_alone_is_translated_too(tmp_path: Path, seeds: Mapping[str, SeedRows]) -> None:
    keep = [i for i, h in enumerate(HEADERS) if not h.startswith("pedagogie/outils/")]
    _write(
        tmp_path / "raw" / "survey" / "tn_eftp" / "summary.xlsx",
        [HEADERS[i] for i in keep],
        [[r[i] for i in keep] for r in ROWS],
    )
    got = _answers(land(tmp_path / "raw", tmp_path / "w.duckdb", _ctx(seeds, _mapping_rows())))
    tools = {o: n for (r, q, o, _), (_, n) in got.items() if r == "kobo:tn-2" and q == "digital_tools"}
    assert (
        tools["lms"] == 1.0 and sum(tools.values()) == 1.0 and len(tools) == 6
    )  # the whole list, "autre" out
    assert sum(n for (r, q, _, _), (_, n) in got.items() if r == "kobo:tn-3" and q == "digital_tools") == 0


def test_a_bad_mapping_row_rejects_the_file_naming_the_row(
    tmp_path: Path, seeds: Mapping[str, SeedRows]
) -> None:
    bad = MAPPING.replace("salle_info,n,has_computer_lab,no", "salle_info,n,has_computer_lab,non")
    _write(tmp_path / "raw" / "survey" / "tn_eftp" / "export.xlsx")
    con = land(tmp_path / "raw", tmp_path / "w.duckdb", _ctx(seeds, _mapping_rows(bad)))
    status, reason, message = con.execute("SELECT status, reason_code, message FROM audit.loads").fetchone()
    assert (status, reason) == ("rejected", "invalid_mapping")
    assert message == (
        "survey/tn_eftp/export.xlsx: form mapping 'tn_eftp' cannot be applied: survey_form_mappings.csv "
        "row 15, column choice_code: 'non' is not a choice of list 'yes_no' (no, yes; or - for none)"
    )


def test_vetdx_exports_are_not_read_through_a_mapping(tmp_path: Path, seeds: Mapping[str, SeedRows]) -> None:
    """A file with every required codebook column is a vetdx export, whatever mappings exist."""
    headers = [
        "country",
        "round",
        "respondent_role",
        "salle_info",
        "grp_infrastructure/has_computer_lab",
        "_uuid",
    ]
    _write(
        tmp_path / "raw" / "survey" / "2025" / "TUN_kobo.xlsx",
        headers,
        [["TUN", 2025, "institution", "o", "yes", "u"]],
        repeat=False,
    )
    con = land(tmp_path / "raw", tmp_path / "w.duckdb", _ctx(seeds, _mapping_rows()))
    unknown, message = con.execute("SELECT unknown_columns, message FROM audit.loads").fetchone()
    assert json.loads(unknown) == ["salle_info"] and message is None
    assert _answers(con) == {("kobo:u", "has_computer_lab", None, None): ("yes", 1.0)}


LABELS = [
    "Année de l'enquête", "Type de répondant", "Gouvernorat", "Nom de l'établissement",
    "Nom du point focal", "Courriel du point focal", "Débit descendant (Mbit/s)", "Salle informatique",
    "Outils numériques", "Stratégie nationale de l'EFTP numérique", "Nombre d'ateliers", "_uuid",
]  # fmt: skip
LABEL_ROWS = [
    [2024, "Point focal national", "Tunis", None, "Sonia Trabelsi", "s@example.tn", None, None, None,
     "Adoptée", None, "a"],
    [2024, "Établissement", "Sfax", "ISET Sfax", "Ali", "a@example.tn", 48, "Oui", "Moodle Vidéos", None,
     12, "b"],
]  # fmt: skip


def test_the_draft_proposes_questions_by_label_and_lands_once_reviewed(
    tmp_path: Path, seeds: Mapping[str, SeedRows]
) -> None:
    export = _write(tmp_path / "export.xlsx", LABELS, LABEL_ROWS, repeat=False)
    ctx = _ctx(seeds, [])
    rows = draft_mapping(export, "tn_labels", ctx.codebook)
    proposed = {r["source"]: r["question_code"] for r in rows if not r["source_choice"]}
    assert proposed == {
        "Année de l'enquête": "round",
        "Type de répondant": "respondent_role",
        "Gouvernorat": "",
        "Nom de l'établissement": "institution_name",
        "Nom du point focal": "respondent_name",  # hashed into respondent_key, never kept
        "Courriel du point focal": "respondent_email",
        "Débit descendant (Mbit/s)": "broadband_mbps",
        "Salle informatique": "has_computer_lab",
        "Outils numériques": "digital_tools",
        "Stratégie nationale de l'EFTP numérique": "national_strategy",
        "Nombre d'ateliers": "",
    }
    choices = {(r["source"], r["source_choice"]): r["choice_code"] for r in rows if r["source_choice"]}
    assert choices[("Type de répondant", "Point focal national")] == "national"
    assert choices[("Salle informatique", "Oui")] == "yes"
    assert choices[("Stratégie nationale de l'EFTP numérique", "Adoptée")] == "adopted"
    assert choices[("Outils numériques", "Moodle")] == ""  # left for review: the file is refused until then
    assert set(rows[0]) == set(COLUMNS)

    raw = tmp_path / "raw" / "survey" / "tn_labels"
    _write(raw / "export.xlsx", LABELS, LABEL_ROWS, repeat=False)
    refused = land(tmp_path / "raw", tmp_path / "w0.duckdb", _ctx(seeds, rows))
    assert refused.execute("SELECT reason_code FROM audit.loads").fetchone() == ("invalid_mapping",)

    # The person's review: the blank choices filled, Établissement is an institution, country given.
    review = {"Moodle": "lms", "Vidéos": "video_lessons", "Établissement": "institution"}
    reviewed = [dict(r, choice_code=review.get(r["source_choice"], r["choice_code"])) for r in rows]
    reviewed.append(
        {c: "" for c in COLUMNS} | {"form_id": "tn_labels", "question_code": "country", "constant": "TUN"}
    )
    con = land(tmp_path / "raw", tmp_path / "w1.duckdb", _ctx(seeds, reviewed))
    assert con.execute("SELECT status, rows_landed FROM audit.loads").fetchone() == ("loaded", 2)
    got = _answers(con)
    assert got[("kobo:b", "broadband_mbps", None, None)] == (None, 48.0)
    assert got[("kobo:b", "digital_tools", "video_lessons", None)] == ("video_lessons", 1.0)
    assert got[("kobo:a", "national_strategy", None, None)] == ("adopted", 3.0)


def test_a_draft_of_the_vetdx_french_export_needs_no_review_and_lands_the_same_answers(
    tmp_path: Path, seeds: Mapping[str, SeedRows], form
) -> None:
    from tests.collect.export_shapes import SHAPES, response_id, write_export
    from tests.collect.synthetic import expected_answers, fill

    shape = next(s for s in SHAPES if s.name == "kobo_labels_fr")
    subs = fill(form, 12)
    export = write_export(form, subs, shape, tmp_path / "raw" / "survey" / "fr_copy" / "export.xlsx")
    rows = draft_mapping(export, "fr_copy", _ctx(seeds, []).codebook)
    labels = {r["label_fr"]: r["question_code"] for r in seeds["survey_codebook"]}
    columns = [r for r in rows if not r["source_choice"]]
    assert not [r for r in rows if r["note"].startswith("REVIEW")]
    assert all(r["question_code"] == labels[r["source"].split("/", 1)[-1]] for r in columns)
    assert len(columns) == 36 - 3  # every main-sheet question; the 3 repeat questions are on their sheet
    con = land(tmp_path / "raw", tmp_path / "w.duckdb", _ctx(seeds, rows))
    answers = con.execute(
        "SELECT response_id, question_code, option_code, repeat_group, repeat_index, value_text, "
        "value_number FROM raw.survey_answers"
    ).fetchall()
    got = {(*a[:6], round(a[6], 6) if a[6] is not None else None) for a in answers}
    assert got == expected_answers(subs, seeds, response_id(shape))

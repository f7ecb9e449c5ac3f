"""Detection and redaction of personal data (pipelines/ingest/privacy/pii.py) and the key (pii_key.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import stat
from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest.privacy import pii
from pipelines.ingest.privacy.key import KeyRefused, key_file_for, resolve_key
from pipelines.ingest.rows.model import FileRejected, ParsedFile, ParsedTable, empty_rejects
from pipelines.labels import SAMPLE_MARKER
from pipelines.settings import DEV_PII_KEY

E, P, N = pii.EMAIL_MARK, pii.PHONE_MARK, pii.NAME_MARK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write f.benali@moe.gov.jo today", f"write {E} today"),
        ("m.harbi(at)gmail(dot)com", E),
        ("khaled.mansouri [at] yahoo [dot] fr", E),
        ("msow at orange dot sn", E),
        ("a.sow arobase orange point sn", E),
        ("k.idrissi＠gmail.com", E),  # full-width at sign
        ("k﹫mail.ma", E),  # small at sign
        ("k (آت) mail (نقطة) com", E),
        ("x{at}y{dot}com", E),
        ("we met at noon.Then left", "we met at noon.Then left"),  # "at" + a real dot is prose
    ],
)
def test_emails(text: str, expected: str) -> None:
    assert pii.redact_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+962 79 555 1234", P),
        ("+212 6 61 23 45 67", P),
        ("00221 33 889 12 34", P),  # 00 + Senegal's code
        ("call 0661-234567 now", f"call {P} now"),  # Moroccan trunk format
        ("0522 45 67 89", P),
        ("77 654 32 10", P),  # Senegalese mobile in pairs
        ("06.61.23.45.67", P),
        ("اتصل على ٥٥٦٦٧٧٠١ شكرا", f"اتصل على {P} شكرا"),  # Arabic-Indic digits
        ("٠٧٩٥٥٥١٢٣٤", P),
        ("GSM 98 123 456", f"GSM {P}"),  # thousands-shaped, but after a phone word
        ("Tel: 7771234", f"Tel: {P}"),  # Maldivian 7 digits after a phone word
        ("tél. +216 98 123 456 ou 71 234 567", f"tél. {P} ou {P}"),  # a second number after a first
        ("Lycée (contact : 77 654 32 10)", f"Lycée (contact : {P})"),
        ("comment 55667701", f"comment {P}"),  # 8 bare digits inside text
    ],
)
def test_phones(text: str, expected: str) -> None:
    assert pii.redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1 250 000 élèves",  # French thousands
        "2019-2024",  # a year range
        "12/05/2024",
        "2025-06-01 12:00:00",  # a timestamp, not "2025-06-01 1"
        "3.14159265",
        "1200-1500",  # a range of figures
        "AZ-00123456",  # an identifier
        "231402117",  # a bare figure (a population in a quarantined row)
        "20261201T214613Z-b9047d62",
        "54366288-cffc-48d5-89ed-4173c52d5caa",  # a run id whose first group is all digits
        "run 12345678-abcd-4ef0-9abc-def012345678 failed",
        "54366288-4bd1-48d5-89ed-4173c52d5caa",
        "ISCED 35",
    ],
)
def test_figures_are_not_phones(text: str) -> None:
    assert pii.redact_text(text) == text
    assert pii.find_personal(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Préparé par : Fatima Zahra Bennani, f.bennani@men.gov.ma, tél. +212 6 61 23 45 67",
            f"Préparé par : {N}, {E}, tél. {P}",
        ),
        ("Rempli par : Fatou Binta Ndiaye (tél. 77 654 32 10)", f"Rempli par : {N} (tél. {P})"),
        ("Focal point - Omar Haddad - omar@x.org", f"Focal point - {N} - {E}"),
        ("أعده: محمد العلي، هاتف ٠٥٥١٢٣٤٥٦٧", f"أعده: {N}، هاتف {P}"),
        ("Nom et prénom du point focal : Aïcha Diallo", f"Nom et prénom du point focal : {N}"),
        ("Contact : Karim Idrissi, k@x.ma", f"Contact : {N}, {E}"),
        ("Institution name: Lycée Ibn Sina", "Institution name: Lycée Ibn Sina"),  # a place
    ],
)
def test_names_after_a_role_label(text: str, expected: str) -> None:
    assert pii.redact_text(text) == expected


@pytest.mark.parametrize(
    "header",
    [
        "الاسم الكامل",
        "اسم المسؤول عن التعبئة",
        "Nom et prénom du point focal",
        "Nom du responsable de l'établissement",
        "GSM",
        "Tél. portable",
        "Enquêteur",
        "Enumerator name",
        "Prepared by",
        "_submitted_by",
        "meta/deviceid",
        "SubmitterName",
        "Name",
        "Courriel",
        "الجوال",
    ],
)
def test_personal_headers(header: str) -> None:
    assert pii.is_personal_header(header)


@pytest.mark.parametrize(
    "header",
    ["Respondent role", "Institution name", "Nom de l'établissement", "اسم المؤسسة", "Programme name",
     "Nom du programme", "Country", "Commentaires", "ملاحظات", "Number of respondents", "Students"],
)  # fmt: skip
def test_other_headers(header: str) -> None:
    assert not pii.is_personal_header(header)


def test_identity_hash_is_the_keyed_hash_of_normalised_fields() -> None:
    key = b"k" * 32
    by_hand = hmac.new(key, b"fatou ndiaye|f@x.sn|+221771234567", hashlib.sha256).hexdigest()
    assert pii.identity_hash([" Fatou  NDIAYE ", "F@x.sn", "+221 77 123 45 67"], key) == by_hand
    # Arabic-Indic digits normalise to the same key as Latin ones
    assert pii.identity_hash(["Fatou Ndiaye", "f@x.sn", "+٢٢١٧٧١٢٣٤٥٦٧"], key) == by_hand
    assert pii.identity_hash(["", " "], key) is None
    assert pii.identity_hash(["Fatou Ndiaye", "f@x.sn", "+221771234567"], b"other" * 8) != by_hand


def test_redact_parsed_cleans_rows_rejects_notes_and_keeps_codes() -> None:
    rows = pl.DataFrame(
        {
            "iso3": ["MAR", "MAR"],
            "institution_id": ["MA-0661234567", "MA-2"],
            "institution_name": ["Lycée X - k@x.ma", "ISTA Rabat"],
            "quantity": [3, 4],
        }
    )
    original = json.dumps(
        {"Nom du responsable": "Karim Idrissi", "Établissements": "quarante", "Note": "0661234567"}
    )
    rejects = pl.concat(
        [
            empty_rejects(),
            pl.DataFrame(
                {
                    "_sheet": ["2024"],
                    "_row_number": [7],
                    "reason_code": ["invalid_number"],
                    "column_name": ["Établissements"],
                    "message": ["row 7: 'quarante' is not a number (tél. 0661234567)"],
                    "original": [original],
                },
                schema=empty_rejects().schema,
            ),
        ]
    )
    parsed = ParsedFile("xlsx", None, [ParsedTable("equipment_inventory", rows, rejects)], 3,
                        notes=["row 9: skipped note/footer row 'Préparé par : Karim Idrissi'"])  # fmt: skip
    clean = pii.redact_parsed(parsed)
    out = clean.tables[0].rows
    assert out["institution_name"].to_list() == [f"Lycée X - {E}", "ISTA Rabat"]
    assert out["institution_id"].to_list() == ["MA-0661234567", "MA-2"]  # identifiers untouched
    assert out["quantity"].to_list() == [3, 4]
    bad = clean.tables[0].rejects
    assert bad["message"].to_list() == [f"row 7: 'quarante' is not a number (tél. {P})"]
    assert json.loads(bad["original"][0]) == {
        "Nom du responsable": pii.REDACTED,
        "Établissements": "quarante",
        "Note": P,
    }
    assert clean.notes == [f"row 9: skipped note/footer row 'Préparé par : {N}'"]


def test_rejected_file_messages_are_redacted() -> None:
    exc = pii.redact_rejection(FileRejected("no_header_found", "f.xlsx: title 'Contact: a@b.org'", 3))
    assert (exc.reason_code, exc.message, exc.rows_read) == (
        "no_header_found",
        f"f.xlsx: title 'Contact: {E}'",
        3,
    )


# --- the key -------------------------------------------------------------------------------------


def test_generated_key_is_owner_only_and_kept(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "vetdx.duckdb"
    raw.mkdir()
    first = resolve_key(None, raw, warehouse)
    assert first.origin == "generated" and first.note and str(key_file_for(warehouse)) in first.note
    assert len(first.key) == 64 and first.key != DEV_PII_KEY.encode()
    assert stat.S_IMODE(key_file_for(warehouse).stat().st_mode) == 0o600
    again = resolve_key(None, raw, warehouse)
    assert (again.key, again.origin, again.note) == (first.key, "file", None)  # said once


def test_development_key_is_refused_on_real_data(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    with pytest.raises(KeyRefused, match="development key") as info:
        resolve_key(DEV_PII_KEY, raw, tmp_path / "vetdx.duckdb")
    assert "\n" not in str(info.value)


def test_sample_builds_with_no_setup(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / SAMPLE_MARKER).write_text("synthetic\n")
    chosen = resolve_key(None, raw, tmp_path / "vetdx.duckdb")
    assert (chosen.key, chosen.origin) == (DEV_PII_KEY.encode(), "development")
    assert not key_file_for(tmp_path / "vetdx.duckdb").exists()
    assert resolve_key(DEV_PII_KEY, raw, tmp_path / "vetdx.duckdb").origin == "environment"


def test_environment_key_wins_and_loose_key_files_are_refused(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "vetdx.duckdb"
    raw.mkdir()
    secret = "s" * 40
    assert resolve_key(secret, raw, warehouse).key == secret.encode()
    path = key_file_for(warehouse)
    path.write_text("k" * 64)
    os.chmod(path, 0o644)
    with pytest.raises(KeyRefused, match="chmod 600"):
        resolve_key(None, raw, warehouse)


def test_email_hint_is_present_in_every_text_the_email_pattern_matches() -> None:
    """The e-mail search skips texts without an @, a bracketed "at" or "at" as a word
    (pii._EMAIL_HINT). Were the pattern widened without the hint, e-mails would go unredacted:
    every text the pattern matches, among 30,000 made of e-mail fragments, must carry the hint."""
    rnd = random.Random(17)
    pieces = [
        "a", "fatima", ".", "_", "-", "at", " at ", " AT ", "@", "＠", "﹫", "(at)", "[ at ]", "<@>",
        "{arobase}", " arobase ", "(آت)", "[ات]", " dot ", "[dot]", "(.)", " point ", "نقطة", "men",
        "gov", "ma", "com", "tn", " ", "0", "7", "+216",
    ]  # fmt: skip
    matched = 0
    for _ in range(30_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(2, 14)))
        if pii._EMAIL.search(text):
            matched += 1
            assert pii._EMAIL_HINT.search(text), text
    assert matched > 1_000  # the fragments do make e-mails in every form

"""The corpus of fake identities (corpus.py) loaded into a warehouse in a temporary folder: no token
in clear in any table, in the database file or in the logs; non-personal content kept as sent."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.landing.loader import ingest_source
from pipelines.ingest.landing.parallel import FileParser
from pipelines.ingest.privacy import pii
from pipelines.ingest.vocab.text import DIGITS
from pipelines.quality import pii_scan
from pipelines.settings import DEFAULT_SEEDS_DIR
from tests.pii import corpus

KEY = b"corpus-key-" + b"k" * 32


def _variants(token: str) -> set[str]:
    """The token as written, and for phones its digits alone in Latin digits (how a leak would most
    likely look once separators are dropped)."""
    out = {token}
    digits = re.sub(r"\D", "", token.translate(DIGITS))
    if len(digits) >= 8:
        out.add(digits)
    return out


TOKENS = sorted({v for t in corpus.TOKENS for v in _variants(t)})


def every_text_value(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """{schema.table: every cell of every column as text} for every table of the database."""
    out: dict[str, list[str]] = {}
    for schema, table in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
    ).fetchall():
        rel = f'"{schema}"."{table}"'
        columns = [c for (c, *_) in con.execute(f"DESCRIBE {rel}").fetchall()]
        cells = []
        for column in columns:
            values = con.execute(f'SELECT CAST("{column}" AS VARCHAR) FROM {rel}').fetchall()
            cells += [v for (v,) in values if v]
        out[f"{schema}.{table}"] = cells
    return out


def leaks(texts: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(where, t) for where, cells in texts.items() for t in TOKENS for cell in cells if t in cell]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, dict[str, list], list[str]]:
    root = tmp_path_factory.mktemp("pii_corpus")
    corpus.write_corpus(root / "raw")
    ctx = ParseContext.from_seeds(DEFAULT_SEEDS_DIR, KEY)
    db = root / "warehouse" / "vetdx.duckdb"
    db.parent.mkdir()
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep(logging.DEBUG)
    root_logger = logging.getLogger()
    level = root_logger.level
    root_logger.setLevel(logging.DEBUG)
    root_logger.addHandler(handler)
    outcomes: dict[str, list] = {}
    try:
        with duckdb.connect(str(db)) as con:
            for source in ("survey", "institutions", "inventory"):
                summary = ingest_source(con, root / "raw", source, FileParser(ctx), workers=0)
                outcomes[source] = summary.files
                for f in summary.files:  # what the ingest asset logs for each file
                    logging.getLogger("vetdx.test").info("%s %s %s", f.source_file, f.status, f.message)
    finally:
        root_logger.removeHandler(handler)
        root_logger.setLevel(level)
    return db, outcomes, records


def test_no_token_in_any_table(loaded) -> None:
    db, _, _ = loaded
    with duckdb.connect(str(db), read_only=True) as con:
        texts = every_text_value(con)
    assert {"raw.survey_responses", "quarantine.survey_responses", "audit.loads"} <= texts.keys()
    assert leaks(texts) == []


def test_no_token_in_the_database_file_or_the_logs(loaded) -> None:
    db, _, records = loaded
    data = db.read_bytes()
    assert [t for t in TOKENS if t.encode("utf-8") in data] == []
    assert records, "the loader logged nothing: the log check would prove nothing"
    assert [t for t in TOKENS for line in records if t in line] == []


def test_scanner_finds_nothing_in_the_corpus_warehouse(loaded) -> None:
    db, _, _ = loaded
    assert pii_scan.scan_warehouse(db) == []


def test_non_personal_content_is_kept(loaded) -> None:
    db, outcomes, _ = loaded
    counts = {
        s: [(f.rows_read, f.rows_landed, f.rows_quarantined) for f in files] for s, files in outcomes.items()
    }
    # Arabic export: 3 submissions, the 3rd quarantined (speed "سريع جدا"); French: 2 landed;
    # ministry: 4 data rows, "quarante" quarantined, 2 footers skipped; inventory: 3 rows.
    assert counts == {"survey": [(3, 2, 1), (2, 2, 0)], "institutions": [(4, 3, 1)], "inventory": [(3, 3, 0)]}
    with duckdb.connect(str(db), read_only=True) as con:
        responses = con.execute(
            "SELECT response_id, iso3, respondent_role, institution_name, respondent_key, unmapped "
            "FROM raw.survey_responses ORDER BY response_id"
        ).fetchall()
        answers = con.execute(
            "SELECT response_id, question_code, value_number FROM raw.survey_answers ORDER BY ALL"
        ).fetchall()
        institutions = con.execute(
            "SELECT vet_level, ownership, value FROM raw.institution_counts "
            "WHERE measure = 'institutions' ORDER BY ALL"
        ).fetchall()
        inventory = con.execute(
            "SELECT institution_id, institution_name, quantity, funding_source FROM raw.equipment_inventory "
            "ORDER BY ALL"
        ).fetchall()
        original = json.loads(con.execute("SELECT original FROM quarantine.institution_counts").fetchone()[0])
        footer = con.execute(
            "SELECT message FROM audit.loads WHERE source_file LIKE 'institutions/%'"
        ).fetchone()[0]
    assert [r[:3] for r in responses] == [
        ("kobo:a1f0c6e2-0001", "JOR", "national"),
        ("kobo:a1f0c6e2-0002", "JOR", "institution"),
        ("kobo:b7d1-0001", "SEN", "national"),
        ("kobo:b7d1-0002", "SEN", "institution"),
    ]
    assert [r[3] for r in responses] == [
        "معهد عمان المهني",
        "مركز الزرقاء للتدريب - هاتف [phone]",
        "Lycée technique Delafosse (contact : [phone])",
        "Centre de formation de Thiès",
    ]
    # respondent_key: the keyed hash of the codebook's name, e-mail and phone, as before
    row = corpus.KOBO_AR_ROWS[0]
    assert responses[0][4] == pii.identity_hash([row[7], row[8], row[9]], KEY)
    assert json.loads(responses[0][5]) == {"ملاحظات": "للتواصل: [phone] أو [e-mail]"}  # name columns gone
    assert json.loads(responses[2][5]) == {
        "Commentaires": "Joindre le point focal : [name], [e-mail] ou [phone]"
    }
    assert ("kobo:a1f0c6e2-0001", "broadband_mbps", 40.0) in answers
    assert ("kobo:b7d1-0002", "students_enrolled", 410.0) in answers
    assert institutions == [("nqf_3", "private", 45.0), ("nqf_3", "public", 120.0), ("nqf_4", "public", 80.0)]
    assert inventory == [
        ("MA-CAS-0042", "Lycée technique Al Khawarizmi - [e-mail]", 4, "Donor (contact [phone])"),
        ("MA-CAS-0042", "Lycée technique Al Khawarizmi - [e-mail]", 30, "Ministry"),
        ("MA-RAB-0007", "ISTA Rabat", 55, "Ministry"),
    ]
    assert original["Établissements"] == "quarante" and original["Nom du responsable"] == "[redacted]"
    assert "skipped note/footer row 'Préparé par : [name], [e-mail], tél. [phone]'" in footer
    assert "skipped note/footer row 'Contact : [name], [e-mail], [phone]'" in footer


def test_scanner_reports_clear_values_masked_and_fails(tmp_path: Path, capsys) -> None:
    db = tmp_path / "leaky.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw.t (note VARCHAR, n INTEGER, j JSON)")
        con.execute(
            "INSERT INTO raw.t VALUES ('write f.bennani@men.gov.ma', 1, NULL), "
            "('1 250 000 élèves', 2, NULL), ('ok', 3, '{\"c\": \"tél. ٥٥٦٦٧٧٠١\"}')"
        )
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "profile.html").write_text(
        "<html><style>.a{width:1234 5678px}</style><svg><path d='M 123.45 678.9 L 0 0'/></svg>"
        "<td>Contact: +212 6 61 23 45 67</td><td>1 250 000</td></html>",
        encoding="utf-8",
    )
    (exports / "table.csv").write_text("country,value\nMAR,231402117\n", encoding="utf-8")
    found = pii_scan.scan(db, exports)
    assert [(f.where, f.kind, f.count) for f in found] == [
        ("raw.t.j", "phone", 1),
        ("raw.t.note", "e-mail", 1),
        ("profile.html", "phone", 1),
    ]
    assert pii_scan.main(["--warehouse", str(db), "--exports", str(exports)]) == 1
    printed = capsys.readouterr().out
    assert "raw.t.note: 1 value(s) with an e-mail" in printed
    assert "f.bennani@men.gov.ma" not in printed and "61 23 45 67" not in printed

"""Round trip: the generated form, filled with synthetic submissions, exported in every shape Kobo and
ODK produce, lands through the real parser and loader with every answer under its question code."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.collect.xlsform import XLSForm
from pipelines.ingest.context import ParseContext
from pipelines.ingest.privacy.pii import identity_hash
from pipelines.seeds import SeedRows
from tests.collect.conftest import PII_KEY, SEEDS, land
from tests.collect.export_shapes import SHAPES, Shape, response_id, write_export
from tests.collect.synthetic import _PEOPLE, expected_answers, fill

SUBMISSIONS = 24


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return ParseContext.from_seeds(SEEDS, PII_KEY)


def _text_cells(con) -> str:
    """Every text cell of every table, one string: what a leak check searches."""
    out = []
    for schema, table, column in con.execute(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE data_type IN ('VARCHAR', 'JSON')"
    ).fetchall():
        out += [str(v) for (v,) in con.execute(f'SELECT "{column}" FROM {schema}.{table}').fetchall()]
    return "\n".join(out)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_every_answer_lands_under_its_question_code(
    tmp_path: Path, form: XLSForm, seeds: Mapping[str, SeedRows], ctx: ParseContext, shape: Shape
) -> None:
    subs = fill(form, SUBMISSIONS)
    raw = tmp_path / "raw"
    write_export(form, subs, shape, raw / "survey" / "2025" / f"{shape.name}.{shape.fmt}")
    con = land(raw, tmp_path / "w.duckdb", ctx)

    status, rows_read, landed, quarantined, unknown = con.execute(
        "SELECT status, rows_read, rows_landed, rows_quarantined, unknown_columns FROM audit.loads"
    ).fetchone()
    kept = subs if shape.fmt == "xlsx" else [replace(s, repeats=[]) for s in subs]  # CSV: no repeats
    instances = sum(len(s.repeats) for s in kept)
    assert (status, quarantined, json.loads(unknown)) == ("loaded", 0, [])
    assert rows_read == landed == SUBMISSIONS + instances

    rid = response_id(shape)
    got = {
        (r, q, o, g, i, t, round(n, 6) if n is not None else None)
        for r, q, o, g, i, t, n in con.execute(
            "SELECT response_id, question_code, option_code, repeat_group, repeat_index, value_text, "
            "value_number FROM raw.survey_answers"
        ).fetchall()
    }
    want = expected_answers(kept, seeds, rid)
    assert got == want, f"missing {sorted(want - got)[:5]}, unexpected {sorted(got - want)[:5]}"
    # Every codebook question outside meta/identity was answered somewhere and so was checked.
    asked = {q for _, q, *_ in want}
    codebook = {
        r["question_code"]
        for r in seeds["survey_codebook"]
        if r["question_group"] not in ("meta", "identity")
    }
    repeats = {r["question_code"] for r in seeds["survey_codebook"] if r.get("repeat") == "true"}
    assert asked == (codebook if shape.fmt == "xlsx" else codebook - repeats)

    responses = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT response_id, iso3, round, respondent_role, institution_id, institution_name, "
            "respondent_key, form_version, validation_status, submitted_at, unmapped "
            "FROM raw.survey_responses"
        ).fetchall()
    }
    assert len(responses) == SUBMISSIONS
    for s in subs:
        v = s.values
        person = [v.get("respondent_name"), v.get("respondent_email"), v.get("respondent_phone")]
        key = identity_hash([p or "" for p in person], PII_KEY)  # exactly as pii.py keys a respondent
        iso3, year, role, inst_id, inst_name, resp_key, version, status_, submitted, unmapped = responses[
            rid(s)
        ]
        assert (iso3, year, role) == (v["country"], v["round"], v["respondent_role"])
        assert (inst_id, inst_name) == (v.get("institution_id"), v.get("institution_name"))
        assert resp_key == key and len(resp_key or "") in (0, 64)
        assert version == s.version and unmapped is None
        assert submitted == datetime.fromisoformat(s.submitted)
        if shape.tool == "kobo":
            assert status_ == (s.status or None)

    text = _text_cells(con)
    for name, email, phone, position in _PEOPLE:
        for secret in (name, email, phone, position, phone.replace(" ", "")):
            assert secret not in text
    assert "Karim Haddad" not in text

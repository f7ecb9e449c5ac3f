"""The publish step refuses a build that holds personal data in clear, naming where, never what."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.defs.assets.publish import refuse_personal_data

EMAIL = "fatima.benali@men.gov.ma"
PHONE = "+212 661 234 567"


def _build(path, note: str) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw.official_series (iso3 VARCHAR, value DOUBLE, note VARCHAR)")
        con.execute("INSERT INTO raw.official_series VALUES ('MAR', 1.5, ?), ('TUN', 2.0, 'ok')", [note])


def test_a_build_with_an_email_or_phone_in_clear_is_not_published(tmp_path):
    build = tmp_path / "vetdx.duckdb"
    _build(build, f"préparé par F. Benali, {EMAIL}, tél. {PHONE}")
    with pytest.raises(dg.Failure) as refused:
        refuse_personal_data(build)
    message = str(refused.value.description)
    assert "not publishing" in message and "raw.official_series.note" in message
    assert EMAIL not in message and "661 234 567" not in message  # the gate never repeats it


def test_a_clean_build_passes_the_gate(tmp_path):
    build = tmp_path / "vetdx.duckdb"
    _build(build, "préparé par [name], [e-mail], tél. [phone]; 1 250 000 students in 2024")
    refuse_personal_data(build)

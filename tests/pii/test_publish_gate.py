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


def test_figures_in_a_json_column_are_not_phones_but_its_text_is_scanned(tmp_path):
    """At 10M rows `audit.versions.row_counts` holds 8-digit counts: read as JSON they are numbers,
    not text, so the gate lets the version through; a phone in a JSON string still stops it."""
    build = tmp_path / "vetdx.duckdb"
    _build(build, "ok")
    with duckdb.connect(str(build)) as con:
        con.execute("CREATE SCHEMA audit")
        con.execute("CREATE TABLE audit.versions (version_id VARCHAR, row_counts JSON)")
        con.execute(
            "INSERT INTO audit.versions VALUES "
            """('v1', '{"raw.equipment_inventory": 10880803, "marts.scores": 12345678}')"""
        )
    refuse_personal_data(build)  # no phone among 10880803 and 12345678
    with duckdb.connect(str(build)) as con:
        con.execute(f"""INSERT INTO audit.versions VALUES ('v2', '{{"note": "tél. {PHONE}"}}')""")
    with pytest.raises(dg.Failure) as refused:
        refuse_personal_data(build)
    assert "audit.versions.row_counts" in str(refused.value.description)


def test_every_column_holding_a_clear_value_is_named_in_a_large_table(tmp_path):
    """One e-mail among 300,000 rows of repeated values, the same e-mail again in another table:
    the scan reads distinct values and remembers its verdicts, and still names both places."""
    from pipelines.quality.pii_scan import scan_warehouse

    build = tmp_path / "vetdx.duckdb"
    _build(build, "ok")
    with duckdb.connect(str(build)) as con:
        con.execute(
            "CREATE TABLE raw.equipment_inventory AS SELECT 'INST-' || (i % 500) AS institution_id,"
            " CASE WHEN i = 123456 THEN 'contact ' || ? ELSE 'lab ' || (i % 7) END AS remarks"
            " FROM range(300000) t(i)",
            [EMAIL],
        )
        con.execute("UPDATE raw.official_series SET note = ? WHERE iso3 = 'TUN'", [f"tél. {PHONE}, {EMAIL}"])
    found = {(f.where, f.kind): f.count for f in scan_warehouse(build)}
    assert found == {
        ("raw.equipment_inventory.remarks", "e-mail"): 1,
        ("raw.official_series.note", "e-mail"): 1,
        ("raw.official_series.note", "phone"): 1,
    }

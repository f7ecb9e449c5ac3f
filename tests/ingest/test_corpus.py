"""Odd and bad files end to end through `parse_file`: exact accepted/rejected counts and reasons."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.parse import parse_file
from pipelines.ingest.rows import reasons as r
from pipelines.ingest.rows.model import FileRejected, ParsedFile
from pipelines.ingest.schemas import RAW_TABLES
from tests.ingest import corpus as c

# (display name, source, writer, format, encoding, rows_read, {table: landed rows}, reject reasons)
ACCEPTED = [
    (
        "official/2024/itu.xls",
        "official",
        c.OFFICIAL_AS_XLS,
        "csv",
        "utf-8",
        5,
        {"official_series": 2},
        # The unquoted "Egypt, Arab Rep." row has a field more than the header: ragged, not shifted.
        {r.UNRESOLVED_COUNTRY: 1, r.UNKNOWN_INDICATOR: 1, r.RAGGED_ROW: 1},
    ),
    (
        "inventory/AZE_2025_connectivity.xls",
        "inventory",
        c.SPREADSHEETML,
        "spreadsheetml-2003",
        "utf-8",
        3,
        {"institution_connectivity": 2},
        {r.INVALID_NUMBER: 1},
    ),
    (
        "institutions/PAK_2024.txt",
        "institutions",
        c.UTF16_TSV,
        "tsv",
        "utf-16",
        4,
        {"institution_counts": 3},
        {r.INVALID_CHOICE: 1},
    ),
    (
        "institutions/JOR_2024.csv",
        "institutions",
        c.CP1256_CSV,
        "csv",
        "cp1256",
        3,
        {"institution_counts": 8},
        {r.INVALID_NUMBER: 1},
    ),
    (
        "official/fr.csv",
        "official",
        c.SEMICOLON_DECIMAL_COMMA,
        "csv-semicolon",
        "cp1252",
        5,
        {"official_series": 3},
        {r.INVALID_NUMBER: 1, r.DUPLICATE_KEY: 1},
    ),
    (
        "official/wb.csv",
        "official",
        c.WB_WIDE,
        "worldbank-wide-csv",
        "utf-8-sig",
        4,
        {"official_series": 3},
        {r.NOT_MEMBER_STATE: 1, r.UNKNOWN_INDICATOR: 1},
    ),
    (
        "inventory/AZE_2025_equipment.csv",
        "inventory",
        c.EQUIPMENT_CSV,
        "csv",
        "utf-8",
        9,
        {"equipment_inventory": 3},
        {
            # A negative quantity is quarantined at ingest (out_of_range), as the blocking raw
            # check (quantity >= 0) would reject it: it never reaches raw to stop publication.
            r.UNKNOWN_ITEM: 1,
            r.INCONSISTENT_VALUES: 1,
            r.OUT_OF_RANGE: 2,
            r.MISSING_REQUIRED: 1,
            r.DUPLICATE_KEY: 1,
        },
    ),
    (
        "institutions/AZE_stats.xlsx",
        "institutions",
        c.MINISTRY_XLSX,
        "xlsx",
        None,
        4,
        # The row with a negative count (7 long rows) is quarantined: the raw check (value >= 0)
        # would block every country's publication for it (issue 12).
        {"institution_counts": 21},
        {r.OUT_OF_RANGE: 1},
    ),
    (
        "survey/2025/AZE_kobo.xlsx",
        "survey",
        c.KOBO_XLSX,
        "kobo-xlsx",
        None,
        9,
        {"survey_responses": 2, "survey_answers": 19},
        {r.INVALID_NUMBER: 2, r.UNRESOLVED_COUNTRY: 1, r.ORPHAN_ROW: 1},
    ),
    (
        "survey/2025/SEN_fr.csv",
        "survey",
        c.KOBO_FRENCH_LABELS,
        "kobo-csv-semicolon",
        "utf-8",
        3,
        {"survey_responses": 2, "survey_answers": 8},
        {r.INVALID_CHOICE: 1},
    ),
    (
        "survey/2025/JOR_ar.csv",
        "survey",
        c.KOBO_ARABIC_LABELS,
        "kobo-csv",
        "utf-8-sig",
        3,
        {"survey_responses": 2, "survey_answers": 6},
        {r.OUT_OF_RANGE: 1},
    ),
    (
        "survey/2024/QAT_odk.csv",
        "survey",
        c.ODK_CSV,
        "odk-csv",
        "utf-8",
        4,
        {"survey_responses": 2, "survey_answers": 16},
        {r.INVALID_NUMBER: 1, r.INVALID_CHOICE: 1},
    ),
    (
        "survey/2025/MYS_lime.csv",
        "survey",
        c.LIMESURVEY_CSV,
        "limesurvey-csv",
        "utf-8",
        3,
        {"survey_responses": 2, "survey_answers": 6},
        {r.OUT_OF_RANGE: 1},
    ),
    (
        "survey/2025/GMB_pii.csv",
        "survey",
        c.PII_CANARY,
        "plain-csv",
        "utf-8",
        2,
        {"survey_responses": 1, "survey_answers": 1},
        {r.INVALID_NUMBER: 1},
    ),
]

REJECTED = [
    ("survey/2025/report.xls", "survey", c.HTML_AS_XLS, r.UNSUPPORTED_FORMAT, "HTML"),
    ("official/old.xls", "official", c.LEGACY_BIFF, r.UNSUPPORTED_FORMAT, "legacy binary .xls (BIFF"),
    ("official/table.pdf", "official", c.PDF, r.UNSUPPORTED_FORMAT, "PDF"),
    ("official/blank.csv", "official", c.EMPTY, r.UNSUPPORTED_FORMAT, "empty file"),
    (
        "inventory/AZE_2025_eq.csv",
        "inventory",
        c.EQUIPMENT_NO_QUANTITY,
        r.MISSING_REQUIRED_COLUMN,
        "required column 'quantity' is missing",
    ),
]


def _input_rows(frames: list[pl.DataFrame]) -> set[tuple[str, int]]:
    return {(s or "", n) for f in frames for s, n in f.select("_sheet", "_row_number").iter_rows()}


def assert_rows_accounted(parsed: ParsedFile) -> None:
    """The loader's invariant: every input row read either landed (in some table) or was quarantined."""
    rejected = _input_rows([t.rejects for t in parsed.tables])
    landed = _input_rows([t.rows for t in parsed.tables]) - rejected
    assert len(rejected) == sum(t.rejects.height for t in parsed.tables)
    assert len(landed) + len(rejected) == parsed.rows_read


def _parse(tmp_path: Path, ctx: ParseContext, name: str, source: str, writer: c.Writer) -> ParsedFile:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(path)
    return parse_file(path, source, ctx, name)


@pytest.mark.parametrize(
    ("name", "source", "writer", "fmt", "encoding", "read", "landed", "rejected"),
    ACCEPTED,
    ids=[a[0] for a in ACCEPTED],
)
def test_accepted_files(
    tmp_path: Path,
    ctx: ParseContext,
    name: str,
    source: str,
    writer: c.Writer,
    fmt: str,
    encoding: str | None,
    read: int,
    landed: dict[str, int],
    rejected: dict[str, int],
) -> None:
    parsed = _parse(tmp_path, ctx, name, source, writer)
    assert (parsed.detected_format, parsed.detected_encoding, parsed.rows_read) == (fmt, encoding, read)
    assert {t.table: t.rows.height for t in parsed.tables} == landed
    reasons_seen = Counter(code for t in parsed.tables for code in t.rejects["reason_code"].to_list())
    assert reasons_seen == Counter(rejected)
    assert_rows_accounted(parsed)
    for table in parsed.tables:
        expected = [*RAW_TABLES[table.table].columns, "_sheet", "_row_number"]
        assert table.rows.columns == expected
        for message in table.rejects["message"].to_list():
            assert message.startswith(f"{name} row "), message
        for original in table.rejects["original"].to_list():
            json.loads(original)


@pytest.mark.parametrize(("name", "source", "writer", "code", "text"), REJECTED, ids=[a[0] for a in REJECTED])
def test_rejected_files(
    tmp_path: Path, ctx: ParseContext, name: str, source: str, writer: c.Writer, code: str, text: str
) -> None:
    with pytest.raises(FileRejected) as info:
        _parse(tmp_path, ctx, name, source, writer)
    assert info.value.reason_code == code
    assert text in info.value.message and name in info.value.message


def _everything(parsed: ParsedFile) -> str:
    parts = [*parsed.notes, *parsed.unknown_columns]
    for t in parsed.tables:
        parts += [t.rows.write_csv(), t.rejects.write_csv()]
    return "\n".join(parts)


def test_pii_canary_never_leaves_the_parser(tmp_path: Path, ctx: ParseContext) -> None:
    parsed = _parse(tmp_path, ctx, "survey/2025/GMB_pii.csv", "survey", c.PII_CANARY)
    dump = _everything(parsed)
    for secret in ("canary.leak@example.org", "+99 555 0100 777", "555 0100", "Canary Person", "Director"):
        assert secret not in dump
    responses = parsed.tables[0].rows
    assert responses["respondent_key"].str.len_chars().to_list() == [64]
    assert json.loads(responses["unmapped"][0]) == {"notes": "call [phone]"}
    original = json.loads(parsed.tables[0].rejects["original"][0])
    assert original["respondent_email"] == original["Contact e-mail"] == "[redacted]"


def test_kobo_values_and_repeat_groups(tmp_path: Path, ctx: ParseContext) -> None:
    parsed = _parse(tmp_path, ctx, "survey/2025/AZE_kobo.xlsx", "survey", c.KOBO_XLSX)
    responses, answers = parsed.tables[0].rows, parsed.tables[1].rows
    assert responses["response_id"].to_list() == ["kobo:u-1", "kobo:u-4"]
    assert responses["iso3"].to_list() == ["AZE", "AZE"]
    assert parsed.unknown_columns == ["favourite_colour"]
    tools = answers.filter(pl.col("question_code") == "digital_tools", pl.col("response_id") == "kobo:u-1")
    assert dict(zip(tools["option_code"], tools["value_number"], strict=True)) == {
        "lms": 1.0,
        "simulators": 0.0,
    }
    share = answers.filter(pl.col("question_code") == "digital_budget_share_pct")["value_number"].to_list()
    assert share == [25.0, 100.0]  # fractions in [0, 1] scaled to percent
    repeats = answers.filter(
        pl.col("repeat_group") == "programmes", pl.col("question_code") == "programme_name"
    )
    assert repeats.select("response_id", "repeat_index", "value_text").rows() == [
        ("kobo:u-1", 1, "Welding"),
        ("kobo:u-1", 2, "CNC"),
        ("kobo:u-4", 1, "Plumbing"),
    ]
    assert responses["submitted_at"][0].isoformat() == "2025-03-01T06:00:00"


def test_label_exports_resolve_to_codes(tmp_path: Path, ctx: ParseContext) -> None:
    fr = _parse(tmp_path, ctx, "survey/2025/SEN_fr.csv", "survey", c.KOBO_FRENCH_LABELS)
    answers = fr.tables[1].rows.filter(pl.col("response_id") == "kobo:f-1")
    got = {
        (q, o): (t, n)
        for q, o, t, n in answers.select("question_code", "option_code", "value_text", "value_number").rows()
    }
    assert got[("broadband_mbps", None)] == (None, 25.5)
    assert got[("has_computer_lab", None)] == ("yes", 1.0)
    assert got[("managers_digital_skills", None)] == ("5", 5.0)
    assert got[("digital_tools", "video_lessons")] == ("video_lessons", 1.0)
    assert fr.tables[0].rows["respondent_role"].to_list() == ["institution", "national"]
    ar = _parse(tmp_path, ctx, "survey/2025/JOR_ar.csv", "survey", c.KOBO_ARABIC_LABELS)
    assert ar.tables[0].rows["iso3"].to_list() == ["JOR", "JOR"]
    assert ar.tables[0].rows["round"].to_list() == [2025, 2025]
    share = ar.tables[1].rows.filter(pl.col("question_code") == "digital_budget_share_pct")["value_number"]
    assert share.to_list() == [45.0, 30.0]


def test_limesurvey_subquestions_are_nth_choices(tmp_path: Path, ctx: ParseContext) -> None:
    parsed = _parse(tmp_path, ctx, "survey/2025/MYS_lime.csv", "survey", c.LIMESURVEY_CSV)
    answers = parsed.tables[1].rows.filter(pl.col("question_code") == "digital_tools")
    assert answers.select("option_code", "value_number").rows() == [
        ("lms", 1.0),
        ("video_lessons", 0.0),
        ("e_textbooks", 1.0),
    ]
    assert parsed.tables[0].rows["response_id"][0].startswith("limesurvey:")


def test_ministry_workbook_layout(tmp_path: Path, ctx: ParseContext) -> None:
    parsed = _parse(tmp_path, ctx, "institutions/AZE_stats.xlsx", "institutions", c.MINISTRY_XLSX)
    rows = parsed.tables[0].rows
    assert set(rows["iso3"]) == {"AZE"} and set(rows["year"]) == {2024}
    private = rows.filter(pl.col("ownership") == "private")
    assert set(private["vet_level"]) == {"nqf_3"}  # level carried down the merged cell
    students = rows.filter(pl.col("vet_level") == "nqf_4", pl.col("measure") == "students")
    assert dict(zip(students["sex"], students["value"], strict=True)) == {
        "female": 7500,
        "male": 8000,
        "total": 15500,
    }
    assert set(rows.filter(pl.col("measure") == "institutions")["sex"]) == {"total"}
    assert any("totals row" in n for n in parsed.notes)
    rejects = parsed.tables[0].rejects
    assert rejects.select("_row_number", "reason_code").rows() == [(9, r.OUT_OF_RANGE)]
    assert "is negative" in rejects["message"][0]
    assert rows.filter(pl.col("value") < 0).height == 0


def test_world_bank_wide_melts_and_skips_missing(tmp_path: Path, ctx: ParseContext) -> None:
    parsed = _parse(tmp_path, ctx, "official/wb.csv", "official", c.WB_WIDE)
    rows = parsed.tables[0].rows
    assert rows.select("iso3", "year", "indicator", "value").rows() == [
        ("AZE", 2022, "itu_internet_users_pct", 86.0),
        ("AZE", 2023, "itu_internet_users_pct", 88.6),
        ("GMB", 2023, "itu_internet_users_pct", 33.0),
    ]
    assert len(parsed.notes) == 2


def test_decimal_comma_and_cp1252(tmp_path: Path, ctx: ParseContext) -> None:
    parsed = _parse(tmp_path, ctx, "official/fr.csv", "official", c.SEMICOLON_DECIMAL_COMMA)
    rows = parsed.tables[0].rows
    assert rows.select("iso3", "value").rows() == [("SEN", 58.1), ("CIV", 45.4), ("MAR", 99.8)]
    assert rows["note"].to_list() == [None, "estimation", None]

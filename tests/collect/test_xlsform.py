"""The XLSForm built from the codebook seeds: pyxform converts it, every question is there in three
languages, with its type, list, bounds, required flag, audience and the programmes repeat."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import pytest

from pipelines.collect.xlsform import CodebookError, XLSForm, build_form, to_xform, write_workbook
from pipelines.seeds import SeedRows

NS = {"x": "http://www.w3.org/2002/xforms", "h": "http://www.w3.org/1999/xhtml"}
LANGS = ("English (en)", "French (fr)", "Arabic (ar)")


@pytest.fixture(scope="module")
def xform(tmp_path_factory: pytest.TempPathFactory, form: XLSForm) -> ET.Element:
    path = write_workbook(form, tmp_path_factory.mktemp("form") / "vetdx_survey.xlsx")
    xml, warnings = to_xform(path)
    assert warnings == []
    return ET.fromstring(xml)


def test_pyxform_converts_and_every_question_has_three_labels(
    xform: ET.Element, seeds: Mapping[str, SeedRows]
) -> None:
    codebook = seeds["survey_codebook"]
    binds = {b.get("nodeset").rsplit("/", 1)[-1]: b for b in xform.iter(f"{{{NS['x']}}}bind")}
    assert {r["question_code"] for r in codebook} <= set(binds)
    assert len(codebook) == 36  # the seed's rows: a question the form drops fails here and above
    translations = {t.get("lang"): t for t in xform.iter(f"{{{NS['x']}}}translation")}
    assert set(translations) == set(LANGS)
    for row in codebook:
        for lang, column in zip(LANGS, ("label_en", "label_fr", "label_ar"), strict=True):
            texts = [
                t.find("x:value", NS).text
                for t in translations[lang].findall("x:text", NS)
                if t.get("id").endswith(f"/{row['question_code']}:label")
            ]
            assert texts == [row[column]], (row["question_code"], lang)


def test_types_lists_bounds_and_required_come_from_the_codebook(xform: ET.Element, form: XLSForm) -> None:
    binds = {b.get("nodeset").rsplit("/", 1)[-1]: b for b in xform.iter(f"{{{NS['x']}}}bind")}
    assert binds["round"].get("type") == "int"
    assert binds["round"].get("constraint") == ". >= 2015 and . <= 2035"
    assert binds["round"].get("required") == "true()"
    assert binds["broadband_mbps"].get("type") == "decimal"
    assert binds["broadband_mbps"].get("constraint") == ". >= 0 and . <= 100000"
    assert binds["graduates_certified_pct"].get("constraint") == ". >= 0 and . <= 100"
    assert binds["institution_name"].get("required") is None
    rows = {r["name"]: r for r in form.question_rows()}
    assert rows["digital_tools"]["type"] == "select_multiple digital_tools"
    assert rows["national_strategy"]["type"] == "select_one strategy_status"
    assert rows["managers_digital_skills"]["type"] == "select_one likert5"
    assert rows["has_computer_lab"]["type"] == "select_one yes_no"
    assert rows["country"]["type"] == "select_one countries"
    countries = [c for c in form.choices if c["list_name"] == "countries"]
    assert len(countries) == 57  # countries.csv: the OIC member states
    assert next(c for c in countries if c["name"] == "SEN")["label::French (fr)"] == "Sénégal"


def test_national_and_institution_parts_and_the_programmes_repeat(form: XLSForm) -> None:
    markers = {r["name"]: r for r in form.survey if r["type"].startswith("begin_")}
    assert markers["programmes"]["type"] == "begin_repeat"
    institution, national = "${respondent_role} = 'institution'", "${respondent_role} = 'national'"
    assert markers["programmes"]["relevant"] == institution
    assert markers["grp_infrastructure"]["relevant"] == institution
    assert markers["grp_policy_governance"]["relevant"] == national
    # A group both roles answer part of: the audience sits on each question.
    assert "relevant" not in markers["grp_finance_sustainability"]
    rows = {r["name"]: r for r in form.question_rows()}
    assert rows["digital_budget_share_pct"]["relevant"] == national
    assert "relevant" not in rows["maintenance_budget"] and "relevant" not in rows["teachers_trained_digital"]
    assert "relevant" not in markers["grp_identity"]
    assert rows["respondent_email"]["hint::English (en)"].startswith("Used only to recognise")


def _edited(seeds: Mapping[str, SeedRows], code: str, **changes: str) -> dict[str, SeedRows]:
    rows = [dict(r, **changes) if r["question_code"] == code else dict(r) for r in seeds["survey_codebook"]]
    return {**seeds, "survey_codebook": rows}


def test_a_change_of_the_codebook_is_a_change_of_the_form(
    seeds: Mapping[str, SeedRows], form: XLSForm
) -> None:
    changed = build_form(_edited(seeds, "round", max_value="2040", label_fr="Année"))
    row = next(r for r in changed.question_rows() if r["name"] == "round")
    assert row["constraint"] == ". >= 2015 and . <= 2040" and row["label::French (fr)"] == "Année"
    assert changed.settings["version"] != form.settings["version"]
    assert build_form(seeds).settings["version"] == form.settings["version"]  # same codebook, same version


@pytest.mark.parametrize(
    ("code", "changes", "message"),
    [
        ("digital_tools", {"list_name": "tools"}, "row 25, column list_name: 'tools' is no list"),
        ("round", {"question_type": "date"}, "row 3, column question_type: 'date' is not a known"),
        ("round", {"min_value": "twenty"}, "row 3, column min_value: 'twenty' is not a number"),
        ("broadband_mbps", {"asked_of": "ministry"}, "row 11, column asked_of: 'ministry' is not a choice"),
        ("programme_name", {"repeat": ""}, "column repeat: group 'programmes' mixes"),
    ],
)
def test_bad_codebook_rows_are_named(
    seeds: Mapping[str, SeedRows], code: str, changes: dict[str, str], message: str
) -> None:
    with pytest.raises(CodebookError, match=message.replace("(", r"\(")):
        build_form(_edited(seeds, code, **changes))


def test_the_workbook_has_the_three_sheets(tmp_path: Path, form: XLSForm) -> None:
    from openpyxl import load_workbook

    book = load_workbook(write_workbook(form, tmp_path / "f.xlsx"))
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    assert {"label::English (en)", "label::French (fr)", "label::Arabic (ar)"} <= set(header)
    assert book["settings"]["B2"].value == "vetdx_survey"

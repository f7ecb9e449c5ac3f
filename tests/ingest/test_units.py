"""Unit tests of the parser pieces: encodings, numbers, countries, choices, sniffing, headers."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.readers import sniff
from pipelines.ingest.readers.encoding import decode, plausibility
from pipelines.ingest.readers.header import locate_header
from pipelines.ingest.readers.textgrid import read_text
from pipelines.ingest.rows.numbers import as_percent, parse_numbers
from pipelines.ingest.vocab.text import fold

ARABIC = "وزارة التربية والتعليم، عدد الطلاب في المؤسسات المهنية الحكومية والخاصة\n"
FRENCH = "Ministère de l'Éducation : élèves inscrits dans les établissements publics et privés\n"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (ARABIC * 3, "cp1256", "cp1256"),
        (FRENCH * 3, "cp1252", "cp1252"),
        ("ÉCOLE PROFESSIONNELLE DE DAKAR\n", "cp1252", "cp1252"),
        (ARABIC + FRENCH, "utf-8", "utf-8"),
        (ARABIC, "utf-8-sig", "utf-8-sig"),
        (ARABIC + FRENCH, "utf-16", "utf-16"),
        (FRENCH, "utf-16-le", "utf-16-le"),
    ],
)
def test_encoding_detection(text: str, codec: str, expected: str) -> None:
    decoded = decode(text.encode(codec))
    assert decoded.encoding == expected
    assert decoded.text == text


def test_cp1256_is_not_taken_for_iso_8859_6_or_cp1252() -> None:
    data = ARABIC.encode("cp1256")
    # The trap: these decodings raise no error but give wrong letters.
    wrong = [data.decode(c, errors="strict") for c in ("cp1252", "latin-1")]
    wrong.append(data.decode("iso-8859-6", errors="replace"))
    assert all(plausibility(w) < plausibility(ARABIC) for w in wrong)
    assert decode(data).encoding == "cp1256"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1 234", "1\u00a0234", "1\u202f234", "12"], [1234, 1234, 1234, 12]),
        (["1,234,567", "12.5", "0.75"], [1234567, 12.5, 0.75]),
        (["12,5", "1.234", "1.234,5", "0,5"], [12.5, 1234, 1234.5, 0.5]),  # decimal-comma column
        (["٣٤٫٥", "١٬٢٣٤", "۱۲۳", "۴۵٪"], [34.5, 1234, 123, 45]),  # Arabic-Indic, Persian, ٫ ٬ ٪
        (["..", "-", "n/a", "N/A", "NA", "—", "", None], [None] * 8),
        (["−7", "+3", "45%"], [-7, 3, 45]),
    ],
)
def test_numbers(cells: list[str | None], expected: list[float | None]) -> None:
    parsed = parse_numbers(pl.Series(cells, dtype=pl.Utf8))
    assert parsed.value.to_list() == expected
    assert not parsed.invalid.any()


def test_plain_numbers_flag_empty_cells_missing_only() -> None:
    parsed = parse_numbers(pl.Series("qty", ["3", None, "12.5"], dtype=pl.Utf8))
    assert parsed.value.to_list() == [3.0, None, 12.5]
    assert parsed.missing.to_list() == [False, True, False]
    assert parsed.invalid.to_list() == [False, False, False]
    assert parsed.percent_sign.to_list() == [False, False, False]
    assert parsed.value.name == "qty"


def test_invalid_numbers_are_flagged_not_missing() -> None:
    parsed = parse_numbers(pl.Series(["12,5,3", "abc", "1..2", "inf"]))
    assert parsed.invalid.to_list() == [True, True, True, True]
    assert not parsed.missing.any()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["0.45", "0.5", None], [45.0, 50.0, None]),  # all in [0, 1]: fractions
        (["45", "0.5", "80"], [45.0, 0.5, 80.0]),  # some above 1: as written
        (["45%", "0.5"], [45.0, 50.0]),  # % sign as written; the unsigned rest are fractions
        (["0", "1"], [0.0, 1.0]),  # no value strictly between 0 and 1: as written
    ],
)
def test_percent_rule(cells: list[str | None], expected: list[float | None]) -> None:
    assert as_percent(parse_numbers(pl.Series(cells, dtype=pl.Utf8))).to_list() == expected


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("TUR", "TUR"),
        ("tr", "TUR"),
        ("792", "TUR"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Turquie", "TUR"),
        ("تركيا", "TUR"),
        ("Egypt, Arab Rep.", "EGY"),
        ("Égypte", "EGY"),
        ("مصر", "EGY"),
        ("Gambia, The", "GMB"),
        ("The Gambia", "GMB"),
        ("Iran, Islamic Rep.", "IRN"),
        ("Iran", "IRN"),
        ("Kyrgyz Republic", "KGZ"),
        ("West Bank and Gaza", "PSE"),
        ("Palestine", "PSE"),
        ("Yemen, Rep.", "YEM"),
        ("Ivory Coast", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("COTE D IVOIRE", "CIV"),
        ("الأردن", "JOR"),
        ("الاردن", "JOR"),
        ("الإمارات العربية المتحدة", "ARE"),
        ("الامارات العربية المتحدة", "ARE"),
        ("عُمان", "OMN"),
        ("عمان", "OMN"),
        ("السعوديّة", "SAU"),
        ("UAE", "ARE"),
        ("004", "AFG"),
        ("31.0", "AZE"),
        ("  azerbaijan ", "AZE"),
        ("Azerbaïdjan", "AZE"),
    ],
)
def test_country_spellings(ctx: ParseContext, text: str, iso3: str) -> None:
    assert ctx.countries.resolve(text) == iso3


@pytest.mark.parametrize("text", ["Atlantis", "", "France", "World"])
def test_country_unresolved(ctx: ParseContext, text: str) -> None:
    assert ctx.countries.resolve(text) is None


def test_non_members_are_recognised(ctx: ParseContext) -> None:
    assert ctx.countries.is_non_member("World") and ctx.countries.is_non_member("Arab World")
    assert ctx.countries.is_non_member("FRA") and not ctx.countries.is_non_member("Atlantis")
    assert not ctx.countries.is_non_member("AZE")


@pytest.mark.parametrize(
    ("question", "answer", "code"),
    [
        ("has_computer_lab", "Yes", "yes"),
        ("has_computer_lab", "oui", "yes"),
        ("has_computer_lab", "نعم", "yes"),
        ("has_computer_lab", "NON", "no"),
        ("has_computer_lab", "لا", "no"),
        ("has_computer_lab", "1", "yes"),
        ("content_quality", "Very high", "5"),
        ("content_quality", "TRÈS ÉLEVÉ", "5"),
        ("content_quality", "tres eleve", "5"),
        ("content_quality", "مرتفع جدا", "5"),
        ("content_quality", "مُرتفع جداً", "5"),
        ("content_quality", "4.0", "4"),
        ("content_quality", "Faible", "2"),
        ("national_strategy", "Adoptée et mise en œuvre", "implemented"),
        ("respondent_role", "Établissement d'EFTP", "institution"),
    ],
)
def test_choices_in_three_languages(ctx: ParseContext, question: str, answer: str, code: str) -> None:
    q = ctx.codebook.questions[question]
    choice = ctx.codebook.choice_for(q, answer)
    assert choice is not None and choice.code == code


def test_unknown_choice(ctx: ParseContext) -> None:
    assert ctx.codebook.choice_for(ctx.codebook.questions["has_computer_lab"], "peut-être") is None


def test_fold_unifies_arabic_and_latin_variants() -> None:
    assert fold("إِحْصَاءات  ـالتعليم") == fold("احصاءات التعليم")
    assert fold("Élèves_Filles") == "eleves filles"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"a,b\n1,2\n", sniff.TEXT),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            sniff.SPREADSHEETML,
        ),
    ],
)
def test_sniff_formats(data: bytes, kind: str) -> None:
    assert sniff.detect_format(data) == kind


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<!DOCTYPE html><html><body><table></table>", "HTML"),
        ("<html><table>".encode("utf-16"), "HTML"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "BIFF"),
        (b"%PDF-1.4", "PDF"),
        (b"", "empty"),
        (b"PK\x03\x04garbage", "damaged"),
    ],
)
def test_sniff_rejects(data: bytes, words: str) -> None:
    with pytest.raises(sniff.Unsupported, match=words):
        sniff.detect_format(data)


def test_text_grid_row_numbers_count_quoted_line_breaks() -> None:
    grid, delimiter = read_text('Title\n\nname;note\n"a";"two\nlines"\n\nb;x\n')
    assert delimiter == ";"
    rows = grid.cells.filter(pl.col("c0").is_not_null())
    assert rows.select("c0", "_row_number").rows() == [("Title", 1), ("name", 3), ("a", 4), ("b", 7)]


def test_header_below_title_with_merged_parent() -> None:
    grid, _ = read_text("Report 2024\nLevel,Students,,\n,Female,Male,Total\nL3,1,2,3\n")
    table = locate_header(grid, lambda c: fold(c) in {"level", "students", "female", "male", "total"})
    assert table is not None
    assert table.headers == ["Level", "Students - Female", "Students - Male", "Students - Total"]
    assert table.title == ["Report 2024"]
    assert table.data["_row_number"].to_list() == [4]

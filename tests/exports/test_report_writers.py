"""What a COMCEC report writer needs from an export set (issue 16), checked on the sample refresh's sets:
offline pages, one sign for gaps, sheets that say their round, unit and source, Arabic with no English
label and numbers kept left to right, charts that say what they leave out, and PDFs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from pipelines import i18n
from pipelines.exports.build import workbook_name
from pipelines.exports.marts import PUBLIC_MARTS
from pipelines.exports.pdf import summary_name
from pipelines.exports.workbook import HEADER_ROW

HEADER = HEADER_ROW + 1  # openpyxl rows are 1-based
LRI, PDI = "\u2066", "\u2069"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")


class _Page(HTMLParser):
    """Text, external references and number cells of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.scripts = 0
        self.text: list[str] = []
        self.numbers: list[str] = []
        self._in_num = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("style", "script"):
            self._skip += 1
        for key in ("src", "href"):
            url = attrs.get(key) or ""
            if re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE):  # any scheme or host
                self.external.append(f"<{tag} {key}={url}>")
        self._in_num = tag == "td" and "num" in (attrs.get("class") or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if tag == "td":
            self._in_num = False

    def handle_data(self, data):
        if self._skip:
            return
        if data.strip():
            self.text.append(data.strip())
        if self._in_num and data.strip():
            self.numbers.append(data.strip())


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


# --- 1. offline HTML -----------------------------------------------------------------------------


def test_every_html_page_works_offline(published, other_languages, quality_index):
    _, _, folder = published
    pages = [*(folder / "profiles").glob("*.html")]
    for lang_folder in other_languages.values():
        pages += (lang_folder / "profiles").glob("*.html")
    quality_pages = [quality_index, *(quality_index.parent / "validations").glob("*.html")]
    assert len(pages) == 3 * 58 and len(quality_pages) > 20
    for path in pages + quality_pages:
        page = _page(path)
        assert page.external == [], path
    for path in quality_pages:
        assert _page(path).scripts == 0, path  # nothing to load, nothing to run
    index = _page(quality_index)
    assert "raw.equipment_inventory.rows" in index.text and "marts.gap_indices.rows" in index.text


def _chromium(url: str, *args: str) -> subprocess.CompletedProcess:
    # every host name unresolvable: the page sees no network at all
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    return subprocess.run([*command, *args, url], capture_output=True, timeout=120, check=True)


def _ink(png: Path) -> float:
    """Share of pixels that are not (near) white."""
    histogram = Image.open(io.BytesIO(png.read_bytes())).convert("L").histogram()
    return sum(histogram[:200]) / sum(histogram)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (scripts/system-packages.sh)")
def test_offline_browser_shows_an_arabic_profile_and_the_quality_report(
    other_languages, quality_index, con, tmp_path
):
    profile = other_languages["ar"] / "profiles" / "AZE.html"
    for name, path in (("profile", profile), ("quality", quality_index)):
        shot = tmp_path / f"{name}.png"
        _chromium(path.as_uri(), "--window-size=1000,1400", f"--screenshot={shot}")
        assert _ink(shot) > 0.02, name  # a blank page is all white
    dom = _chromium(profile.as_uri(), "--dump-dom").stdout.decode("utf-8")
    aze = con.execute("select name_ar from marts.countries where iso3 = 'AZE'").fetchone()[0]
    assert aze in dom and i18n.t("profile_scores", "ar") in dom
    dom = _chromium(quality_index.as_uri(), "--dump-dom").stdout.decode("utf-8")
    assert "marts.gap_indices.rows" in dom


# --- 2. one sign convention, round, unit, source, methodology, empty columns, rounding ------------


def _rows(ws, header_row: int = HEADER) -> list[dict]:
    rows = ws.iter_rows(min_row=header_row, values_only=True)
    headers = next(rows)
    return [dict(zip(headers, r, strict=False)) for r in rows if any(v is not None for v in r)]


@pytest.fixture(scope="module")
def book_en(published):
    _, version, folder = published
    return openpyxl.load_workbook(folder / workbook_name(version, "en"), read_only=True)


def test_dimension_sheets_state_round_unit_source_sign_and_empty_columns(
    book_en, con, latest_round, published
):
    _, version, _ = published
    names = dict(con.execute("select code, name_en from marts.indicators").fetchall())
    sheet = next(s for s in book_en.sheetnames if s.startswith(names["overall"][:20]))
    ws = book_en[sheet]
    context, notes = ws["A3"].value, ws["A4"].value
    assert f"Round: {latest_round}" in context and "score 0-100 (100 = no gap)" in context
    assert version in context and "marts.gap_indices" in context
    assert "every gap is benchmark minus score" in notes and "positive = behind" in notes
    assert "Gap to target (no national targets set)" in notes  # the sample has no national targets
    expected = dict(
        con.execute(
            "select iso3, gap_to_oic_median from marts.gap_indices"
            " where round = $r and dimension = 'overall'",
            {"r": latest_round},
        ).fetchall()
    )
    rows = _rows(ws)
    assert len(rows) == 57
    for row in rows:
        assert row["Gap to OIC median"] == pytest.approx(expected[row["ISO3"]], abs=1e-6), row["ISO3"]


def test_profile_gap_to_the_oic_median_has_the_marts_sign(book_en, con, latest_round):
    """AZE overall on its sheet: gap = OIC median - score, the sign of marts.gap_indices."""
    rows = {r["Name"]: r for r in _rows(book_en["AZE"], header_row=HEADER + 1)[:6]}
    median, score, mart_gap = con.execute(
        "select b.value, g.score, g.gap_to_oic_median from marts.gap_indices g join marts.benchmarks b"
        " on b.round = g.round and b.node = g.dimension and b.group_type = 'oic' and b.benchmark = 'median'"
        " where g.iso3 = 'AZE' and g.round = $r and g.dimension = 'overall'",
        {"r": latest_round},
    ).fetchone()
    overall = next(r for r in rows.values() if r["Score"] == pytest.approx(score))
    assert overall["Gap to OIC median"] == pytest.approx(median - score, abs=1e-6)
    assert overall["Gap to OIC median"] == pytest.approx(mart_gap, abs=1e-6)


def test_readme_is_correct(book_en):
    text = " ".join(str(c) for row in book_en["Read me"].iter_rows(values_only=True) for c in row if c)
    assert "gap = 100 - score" in text and "distance to the target" not in text
    assert "each indicator is imputed" not in text and "most indicators are not imputed" in text
    assert "every gap is benchmark minus score" in text


def test_methodology_lists_unit_direction_goalposts_weight_and_aggregation(book_en, con):
    rows = {r["Code"]: r for r in _rows(book_en["Methodology"])}
    assert len(rows) == con.execute("select count(*) from marts.indicators").fetchone()[0]
    lab = rows["inf_computer_lab_pct"]
    assert (lab["Unit"], lab["Direction"], lab["Goalposts or target"]) == (
        "% of institutions", "higher is better", "0 to 100",
    )  # fmt: skip
    assert lab["Normalisation"] == "goalposts" and lab["Weight"] == 1
    assert rows["wb_gov_edu_exp_pct_gdp"]["Goalposts or target"] == "target 4"
    assert rows["inf_equipment_age_years"]["Direction"] == "lower is better"
    assert rows["overall"]["Aggregation"] == "weighted geometric mean"
    assert rows["inf_digital_items_per_institution"]["Goalposts or target"] == "none (relative to the data)"
    assert rows["wb_fixed_broadband_per100"]["Weight in the index"] == pytest.approx(1 / 60, abs=1e-6)


def test_indicator_values_carry_their_unit(book_en):
    ws = book_en["Indicator values"]
    row = next(r for r in _rows(ws) if r["Indicator"] == "inf_equipment_age_years")
    assert row["Unit"] == "years"
    assert "Round" in ws["A3"].value or "Rounds" in ws["A3"].value


def test_sheet_names_are_not_cut_without_saying_so(book_en, con):
    names = [n for (n,) in con.execute("select name_en from marts.indicators where level <= 1").fetchall()]
    for name in names:
        assert any(s == name or (s.endswith("…") and name.startswith(s[:-1])) for s in book_en.sheetnames), (
            name
        )


def test_no_float_noise_in_the_workbook_or_the_pages(book_en, published):
    _, _, folder = published
    for sheet in ("Indicator values", "Benchmarks", "AZE"):
        for row in book_en[sheet].iter_rows(values_only=True):
            for value in row:
                if isinstance(value, float):
                    assert round(value, 6) == value, (sheet, value)
    for path in (folder / "profiles").glob("*.html"):
        for value in re.findall(r'data-score="([^"]+)"', path.read_text(encoding="utf-8")):
            assert len(value.partition(".")[2]) <= 6, (path.name, value)


# --- 3. Arabic: every label translated, numbers left to right -------------------------------------


def _allowed_latin(con, version: str) -> set[str]:
    """Latin words that may appear in an Arabic set: codes and names that are not labels."""
    words = {
        "vetdx",
        "ISO3",
        "PDF",
        "CSV",
        "Parquet",
        "ln",
        "xlsx",
        "csv",
        "parquet",
        "html",
        "pdf",
        "ar",
        "z",
        "marts",
    }
    label = con.execute("select max(data_label) from marts.countries").fetchone()[0] or ""
    words |= set(re.findall(r"[A-Za-z]+", label)) | {"o", "cial", "ffi"}  # pdftotext splits the ffi ligature
    for (code,) in con.execute(
        "select iso3 from marts.countries union all select code from marts.indicators"
    ).fetchall():
        words |= set(re.findall(r"[A-Za-z0-9_]+", code)) | {code}
    # and the letter runs `_english` cuts out of it (a run id ending `291159fe` gives `fe`)
    words |= set(re.findall(r"[A-Za-z0-9]+", version)) | set(re.findall(r"[A-Za-z][A-Za-z0-9_]+", version))
    words.add(version)
    # pdftotext also cuts a run of the id at a ligature (`4772ccff` gives `cc` and `ff`), and a file
    # name joins the run's tail to the language (`..._4772ccff_ar.pdf` gives `ccff_ar`).
    for run in re.findall(r"[A-Za-z]+", version):
        pieces = {run[i:j] for i in range(len(run)) for j in range(i + 1, len(run) + 1)}
        words |= pieces | {f"{piece}_{lang}" for piece in pieces for lang in i18n.LANGS}
    words |= set(i18n.LANGS) | {w for name in PUBLIC_MARTS for w in [name, *name.split("_")]}  # file names
    return words


def _english(texts, allowed: set[str]) -> list[str]:
    """Texts with a Latin word of 2+ letters that is not allowed."""
    found = []
    for text in texts:
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_]+", str(text)) if w not in allowed]
        words = [w for w in words if not any(ch.isdigit() for ch in w)]  # codes such as p05
        if words:
            found.append(f"{text!r} -> {words}")
    return found


# Methodology columns that are catalogue documentation (no translation columns in the catalogue) or
# codes: kept as they are in every language.
UNTRANSLATED_COLUMNS = {"Code", "Parent", "Indicator", "Node", "ISO3", "Source", "Formula"}


def test_arabic_set_has_no_english_label(other_languages, published, con):
    _, version, _ = published
    arabic = other_languages["ar"]
    allowed = _allowed_latin(con, version)
    untranslated = {i18n.column_label(c.lower(), "ar") for c in UNTRANSLATED_COLUMNS} | UNTRANSLATED_COLUMNS
    texts: list[str] = []
    book = openpyxl.load_workbook(arabic / workbook_name(version, "ar"), read_only=True)
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        headers: tuple = ()
        for row in rows:
            if row and row[0] in {
                i18n.column_label(c, "ar") for c in ("rank", "iso3", "code", "round", "name")
            }:
                headers = row  # a table's header row: skip the columns of codes below it
                texts += [h for h in row if h]
                continue
            for i, value in enumerate(row):
                if isinstance(value, str) and not (i < len(headers) and headers[i] in untranslated):
                    texts.append(value)
    for path in (arabic / "profiles").glob("*.html"):
        texts += _page(path).text
    for path in (arabic / "charts").rglob("*.svg"):
        texts += ["".join(e.itertext()) for e in ET.parse(path).iter() if e.tag.endswith("}text")]
    if PDFTOTEXT:
        for path in [arabic / summary_name(version, "ar"), *(arabic / "profiles").glob("*.pdf")]:
            texts += (
                subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, check=True)
                .stdout.decode()
                .splitlines()
            )
    english = _english(texts, allowed)
    assert english == [], "\n".join(english[:30])


def test_arabic_income_groups_and_numbers(other_languages, con):
    arabic = other_languages["ar"]
    page = (arabic / "profiles" / "AZE.html").read_text(encoding="utf-8")
    income = con.execute("select income_group from marts.countries where iso3 = 'AZE'").fetchone()[0]
    assert f"{i18n.t('col_income_group', 'ar')}: {i18n.term('income', income, 'ar')}" in page
    assert income not in page
    numbers = _page(arabic / "profiles" / "AZE.html").numbers
    negative = [n for n in numbers if "-" in n]
    assert negative, "AZE has gaps on both sides of the median"
    assert all(n.startswith(LRI + "-") and n.endswith(PDI) for n in negative), negative


# --- 4. charts say what they leave out ------------------------------------------------------------


def test_charts_name_the_countries_without_a_score(published, con, latest_round):
    _, _, folder = published
    names = dict(con.execute("select iso3, name_en from marts.countries").fetchall())
    for dimension, unscored in con.execute(
        "select dimension, list(iso3 order by iso3) filter (where score is null) from marts.gap_indices"
        " where round = $r group by dimension",
        {"r": latest_round},
    ).fetchall():
        svg = (folder / "charts" / f"ranking_{dimension}.svg").read_text(encoding="utf-8")
        svg_text = " ".join(
            "".join(e.itertext()) for e in ET.fromstring(svg).iter() if e.tag.endswith("}text")
        )
        if unscored:
            assert f"Not shown, no score ({len(unscored)} of 57)" in svg_text, dimension
            assert all(names[c].split(",")[0] in svg_text for c in unscored), dimension
        else:
            assert "Not shown" not in svg_text
    heatmap = ET.parse(folder / "charts" / "heatmap.svg")
    texts = ["".join(e.itertext()) for e in heatmap.iter() if e.tag.endswith("}text")]
    missing = con.execute(
        "select count(*) from marts.gap_indices where round = $r and score is null", {"r": latest_round}
    ).fetchone()[0]
    assert texts.count("×") == missing and missing > 0
    assert "Score (0-100, 100 = no gap)" in texts and "× = no score (too little data)" in texts


# --- 5. PDF -----------------------------------------------------------------------------------------


def test_pdfs_per_country_and_summary_in_each_language(published, other_languages, con):
    _, version, folder = published
    countries = [c for (c,) in con.execute("select iso3 from marts.countries").fetchall()]
    for lang, set_folder in (("en", folder), ("ar", other_languages["ar"])):
        assert sorted(p.stem for p in (set_folder / "profiles").glob("*.pdf")) == sorted(countries)
        summary = set_folder / summary_name(version, lang)
        assert summary.read_bytes().startswith(b"%PDF-") and b"CreationDate" not in summary.read_bytes()
    if not PDFTOTEXT:
        pytest.skip("pdftotext not installed (scripts/system-packages.sh)")
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(folder / summary_name(version, "en")), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for heading in ("Summary report", "Rankings", "Methodology", "Data notes", "Countries without a score"):
        assert heading in text, heading
    score = con.execute(
        "select score from marts.gap_indices where iso3 = 'AZE' and dimension = 'overall' and round ="
        " (select max(round) from marts.gap_indices where score is not null)"
    ).fetchone()[0]
    aze = subprocess.run(
        [PDFTOTEXT, "-layout", str(folder / "profiles" / "AZE.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Azerbaijan" in aze and f"{score:.1f}" in aze

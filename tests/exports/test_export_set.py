"""The export set of the sample refresh, checked against the warehouse it came from."""

from __future__ import annotations

import hashlib
import json
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines import i18n
from pipelines.exports.build import export_version, workbook_name
from pipelines.exports.marts import PUBLIC_MARTS
from pipelines.exports.workbook import sheet_name

DIMENSIONS = [
    "overall", "infrastructure", "digital_skills", "curriculum_content", "policy_governance",
    "finance_sustainability",
]  # fmt: skip
HEADER_ROW = 5  # 1-based: title, data label, round/unit/source, notes, headers


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_checksums_every_file_and_counts_every_mart(published, con):
    _, version, folder = published
    manifest = _manifest(folder)
    assert manifest["version"] == version and manifest["language"] == "en"
    assert manifest["data_label"].startswith("SYNTHETIC SAMPLE DATA")
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file()
        and p.name != "manifest.json"
        and p.relative_to(folder).parts[0] not in ("fr", "ar", "catalogue")
    }
    assert listed == on_disk
    for entry in manifest["files"]:
        assert hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest() == entry["sha256"], entry[
            "path"
        ]
    for name in PUBLIC_MARTS:
        assert (
            manifest["row_counts"][f"marts.{name}"]
            == con.execute(f"select count(*) from marts.{name}").fetchone()[0]
        )
    hashes = dict(con.execute("select source_file, sha256 from audit.loads").fetchall())
    assert len(manifest["input_files"]) > 100
    assert all(hashes[f["source_file"]] == f["sha256"] for f in manifest["input_files"])


def test_csv_and_parquet_hold_every_mart_row(published, con):
    _, _, folder = published
    for name in PUBLIC_MARTS:
        expected = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
        raw = (folder / "data" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # Excel needs the BOM to read UTF-8
        assert pl.read_csv(raw[3:], infer_schema=False).height == expected, name
        parquet = pl.read_parquet(folder / "data" / f"{name}.parquet")
        assert parquet.height == expected, name
    aze = pl.read_parquet(folder / "data" / "gap_indices.parquet").filter(
        (pl.col("iso3") == "AZE") & (pl.col("dimension") == "overall")
    )
    in_warehouse = dict(
        con.execute(
            "select round, score from marts.gap_indices where iso3='AZE' and dimension='overall'"
        ).fetchall()
    )
    assert dict(zip(aze["round"], aze["score"], strict=True)) == pytest.approx(in_warehouse)


def _table(ws, header_row: int = HEADER_ROW) -> list[dict]:
    rows = ws.iter_rows(min_row=header_row, values_only=True)
    headers = next(rows)
    return [dict(zip(headers, r, strict=False)) for r in rows if any(v is not None for v in r)]


def test_workbook_overall_and_dimension_sheets_match_the_warehouse(published, con, latest_round):
    _, version, folder = published
    book = openpyxl.load_workbook(folder / workbook_name(version, "en"), read_only=True)
    names = dict(con.execute("select code, name_en from marts.indicators").fetchall())
    for dimension in DIMENSIONS:
        sheet = book[sheet_name(names[dimension], set())]
        rows = _table(sheet)
        expected = {
            iso3: (score, rank)
            for iso3, score, rank in con.execute(
                "select iso3, score, rank from marts.gap_indices where round = $r and dimension = $d",
                {"r": latest_round, "d": dimension},
            ).fetchall()
        }
        assert len(rows) == len(expected) == 57, dimension
        for row in rows:
            score, rank = expected[row["ISO3"]]
            assert row["Score"] == pytest.approx(score), (dimension, row["ISO3"])
            assert row["Rank"] == rank, (dimension, row["ISO3"])
        assert sheet[f"A{HEADER_ROW}"].value == "Rank"


def test_workbook_has_every_sheet_frozen_headers_and_formats(published, con):
    _, version, folder = published
    book = openpyxl.load_workbook(folder / workbook_name(version, "en"))
    countries = [c for (c,) in con.execute("select iso3 from marts.countries order by 1").fetchall()]
    assert book.sheetnames[:2] == ["Read me", "Methodology"]
    assert book.sheetnames[-57:] == countries
    assert {"Indicator values", "Benchmarks", "Rank intervals"} <= set(book.sheetnames)
    values = book["Indicator values"]
    assert values.freeze_panes == "A6"
    assert (
        values.max_row - HEADER_ROW
        == con.execute("select count(*) from marts.indicator_values").fetchone()[0]
    )
    headers = [c.value for c in values[HEADER_ROW]]
    score_cell = values.cell(row=HEADER_ROW + 1, column=headers.index("Normalised score") + 1)
    assert score_cell.number_format == "0.0"
    assert values.column_dimensions["D"].width > 10  # fitted, not Excel's default 8.43
    assert "SYNTHETIC SAMPLE DATA" in book["Read me"]["A2"].value


def test_workbook_country_profile_matches_the_warehouse(published, con, latest_round):
    _, version, folder = published
    sheet = openpyxl.load_workbook(folder / workbook_name(version, "en"), read_only=True)["AZE"]
    rows = _table(sheet, header_row=6)  # title, label, context, notes, table title, headers
    expected = dict(
        con.execute(
            "select i.name_en, g.score from marts.gap_indices g"
            " join marts.indicators i on i.code = g.dimension"
            " where g.iso3 = 'AZE' and g.round = $r",
            {"r": latest_round},
        ).fetchall()
    )
    scores = {r["Name"]: r["Score"] for r in rows[:6]}
    assert scores == pytest.approx(expected)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    return struct.unpack(">II", head[16:24])


def test_charts_are_valid_png_and_svg(published):
    _, _, folder = published
    charts = folder / "charts"
    stems = ["heatmap", "trends", *(f"ranking_{d}" for d in DIMENSIONS)]
    stems += [f"radar/{p.stem}" for p in (charts / "radar").glob("*.png")]
    assert len(stems) == 2 + 6 + 57
    for stem in stems:
        width, height = _png_size(charts / f"{stem}.png")
        assert width > 300 and height > 300, stem
        root = ET.parse(charts / f"{stem}.svg").getroot()
        assert root.tag.endswith("svg"), stem
    assert "SYNTHETIC SAMPLE DATA" in (charts / "heatmap.svg").read_text(encoding="utf-8")


class _ProfilePage(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scores: dict[str, str] = {}
        self.html_attrs: dict[str, str | None] = {}
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        if tag == "tr" and "data-dimension" in attrs:
            self.scores[attrs["data-dimension"]] = attrs["data-score"]
        if tag == "img":
            self.images.append(attrs["src"])


def test_each_country_profile_parses_and_holds_its_scores(published, con, latest_round):
    _, _, folder = published
    expected: dict[str, dict[str, float | None]] = {}
    for iso3, dimension, score in con.execute(
        "select iso3, dimension, score from marts.gap_indices where round = $r", {"r": latest_round}
    ).fetchall():
        expected.setdefault(iso3, {})[dimension] = score
    assert len(expected) == 57
    for iso3, scores in expected.items():
        page = _ProfilePage()
        page.feed((folder / "profiles" / f"{iso3}.html").read_text(encoding="utf-8"))
        assert set(page.scores) == set(DIMENSIONS), iso3
        for dimension, score in scores.items():
            shown = page.scores[dimension]
            assert (shown == "" and score is None) or float(shown) == pytest.approx(score), (iso3, dimension)
        assert (folder / "profiles" / page.images[0]).resolve() == (
            folder / "charts" / "radar" / f"{iso3}.svg"
        ).resolve()
    index = (folder / "profiles" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{iso3}.html"' in index for iso3 in expected)


def test_french_and_arabic_sets_are_translated_and_share_the_data_files(published, other_languages, con):
    _, version, folder = published
    french, arabic = other_languages["fr"], other_languages["ar"]
    assert _manifest(french)["language"] == "fr" and _manifest(arabic)["language"] == "ar"

    book = openpyxl.load_workbook(arabic / workbook_name(version, "ar"), read_only=False)
    assert book.sheetnames[0] == i18n.t("sheet_readme", "ar")
    assert all(book[name].sheet_view.rightToLeft for name in book.sheetnames)
    aze_ar = con.execute("select name_ar from marts.countries where iso3 = 'AZE'").fetchone()[0]
    assert aze_ar in book["AZE"]["A1"].value
    page = _ProfilePage()
    page.feed((arabic / "profiles" / "AZE.html").read_text(encoding="utf-8"))
    assert page.html_attrs == {"lang": "ar", "dir": "rtl"}
    assert aze_ar in (arabic / "charts" / "radar" / "AZE.svg").read_text(encoding="utf-8")

    french_book = openpyxl.load_workbook(french / workbook_name(version, "fr"), read_only=True)
    assert french_book.sheetnames[:2] == ["Lisez-moi", "Méthodologie"]
    assert "DONNÉES D'EXEMPLE SYNTHÉTIQUES" in french_book["Lisez-moi"]["A2"].value

    by_lang = [
        {f["path"]: f["sha256"] for f in _manifest(d)["files"] if f["path"].startswith("data/")}
        for d in (folder, french, arabic)
    ]
    assert by_lang[0] == by_lang[1] == by_lang[2]
    assert len(by_lang[0]) == 2 * len(PUBLIC_MARTS)


def test_exporting_a_version_again_gives_byte_identical_files(published, other_languages):
    """Run after the other languages exist: a re-export of English must also leave them in place."""
    warehouse, version, folder = published
    before = {f["path"]: f["sha256"] for f in _manifest(folder)["files"]}
    export_version(warehouse, folder, version=version, lang="en")
    after = {f["path"]: f["sha256"] for f in _manifest(folder)["files"]}
    assert after == before
    assert (other_languages["ar"] / "manifest.json").exists()
    assert not list(folder.glob(".staging-*"))

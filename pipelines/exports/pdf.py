"""PDF reports: one per country profile and one summary report per language (Matplotlib's PDF backend).

Built offline from the same report tables and chart figures as the workbook and the HTML pages. Text
is laid out by Matplotlib, which shapes Arabic through libraqm (joined letters, right to left) with
DejaVu Sans, shipped inside Matplotlib, embedded as Type 3 subsets, so no system font or network is
needed. The text of a page is one artist (`pdf_text.PageText`), not one `Text` per table cell. Arabic
pages mirror the layout: text flush right, table columns from right to left. No date and no software
version is written, so one version gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import polars as pl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from pipelines import i18n
from pipelines.exports import charts, report
from pipelines.exports.chart_set import ChartSet
from pipelines.exports.marts import PublishedData
from pipelines.exports.pdf_text import Cell, PageText, TextCache
from pipelines.exports.workbook import goalposts_text

A4 = (8.27, 11.69)  # inches, portrait
MARGIN = 0.6  # inches on every side
LINE = 0.19  # inches per line of 8.5 pt text
TEXT_SIZE = 8.5
CHARS_PER_INCH = 15.5  # DejaVu Sans at 8.5 pt averages ~4.6 pt per character: wrap before the margin
STYLE = {**charts.STYLE, "pdf.fonttype": 3}  # Type 3 subsets: 5x faster to write than TrueType (fontTools)
METADATA = {"Creator": "vetdx", "Producer": "vetdx", "CreationDate": None}


def summary_name(version: str, lang: str) -> str:
    return f"vetdx_{version}_{lang}.pdf"


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # share of the text width
    numeric: bool = False


class Document:
    """A4 pages of headings, paragraphs and tables, written top to bottom; full pages go to the PDF."""

    def __init__(self, pdf: PdfPages, lang: str, footer: str, cache: TextCache | None = None) -> None:
        self.pdf, self.lang, self.footer = pdf, lang, footer
        self.rtl = i18n.is_rtl(lang)
        self.cache = cache or TextCache()
        self.fig: Figure | None = None
        self.cells: PageText | None = None
        self.y = 0.0
        self.pages = 0

    # --- page mechanics ------------------------------------------------------------------------
    def _page(self) -> PageText:
        if self.fig is None:
            self.fig = Figure(figsize=A4)
            self.cells = PageText(self.cache)
            self.fig.add_artist(self.cells)
            self.y = A4[1] - MARGIN
        return self.cells

    def _room(self, height: float) -> None:
        if self.fig is not None and self.y - height < MARGIN + LINE:
            self.break_page()
        self._page()

    def break_page(self) -> None:
        if self.fig is None:
            return
        self.pages += 1
        self._page().add(
            Cell(
                0.5, MARGIN / 2 / A4[1], f"{self.footer} · {i18n.ltr(str(self.pages), self.lang)}",
                6.5, ha="center", va="center", color="#8b0000",
            )
        )  # fmt: skip
        self.pdf.savefig(self.fig)
        self.fig = self.cells = None

    def figure(self, fig: Figure, close: bool = True) -> None:
        """A chart as a page of its own (its own size), after the current page."""
        self.break_page()
        self.pages += 1
        self.pdf.savefig(fig)
        if close:
            plt.close(fig)

    def _x(self, share: float) -> float:
        """Figure x of a point `share` of the text width from the reading start (left, or right in RTL)."""
        width = A4[0] - 2 * MARGIN
        inches = MARGIN + (width * (1 - share) if self.rtl else width * share)
        return inches / A4[0]

    def _text(
        self, share: float, text: str, size: float = TEXT_SIZE, ha: str | None = None,
        weight: str = "normal", color: str = "black",
    ) -> None:  # fmt: skip
        ha = ha or ("right" if self.rtl else "left")
        self._page().add(Cell(self._x(share), self.y / A4[1], text, size, ha, "top", weight, color))

    # --- content -------------------------------------------------------------------------------
    def heading(self, text: str, size: float = 13) -> None:
        self._room(3 * LINE)
        self.y -= 0.4 * LINE
        self._text(0, text, size=size, weight="bold")
        self.y -= LINE * size / TEXT_SIZE + 0.3 * LINE

    def paragraph(self, text: str, size: float = TEXT_SIZE, colour: str = "#222222") -> None:
        width = int((A4[0] - 2 * MARGIN) * CHARS_PER_INCH * TEXT_SIZE / size)
        for line in textwrap.wrap(text, width) or [""]:
            self._room(LINE)
            self._text(0, line, size=size, color=colour)
            self.y -= LINE * size / TEXT_SIZE
        self.y -= 0.3 * LINE

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], size: float = 7.5) -> None:
        """Rows of text cells; the header repeats on every page the table runs over."""
        starts = [sum(c.width for c in columns[:i]) for i in range(len(columns))]
        step = LINE * size / TEXT_SIZE

        def line(cells: Sequence[str], header: bool) -> None:
            lines = 1
            for cell, column, start in zip(cells, columns, starts, strict=True):
                limit = max(
                    int((A4[0] - 2 * MARGIN) * column.width * CHARS_PER_INCH * TEXT_SIZE / size) - 2, 3
                )
                if header:  # headers wrap onto two lines rather than run into the next column
                    wrapped = textwrap.wrap(cell, limit)[:2] or [""]
                    lines = max(lines, len(wrapped))
                    text = "\n".join(w if len(w) <= limit else w[: limit - 1] + "…" for w in wrapped)
                else:
                    text = cell if len(cell) <= limit else cell[: limit - 1] + "…"
                end = start + column.width - 0.01
                share, ha = (end, "right" if not self.rtl else "left") if column.numeric else (start, None)
                kw = {"weight": "bold", "color": "#1f5f8b"} if header else {}
                if ha:
                    kw["ha"] = ha
                self._text(share, text, size=size, **kw)
            self.y -= step * lines

        header = [c.header for c in columns]
        self._room(2 * step)
        line(header, True)
        for row in rows:
            if self.fig is not None and self.y - step < MARGIN + LINE:
                self.break_page()
                self._page()
                line(header, True)
            self._room(step)
            line(row, False)
        self.y -= 0.5 * LINE

    def close(self) -> None:
        self.break_page()


class Reports:
    """The PDFs of one export set."""

    def __init__(
        self,
        data: PublishedData,
        lang: str,
        version: str,
        profiles: dict[str, report.CountryProfile],
        chart_set: ChartSet,
    ) -> None:
        self.data, self.lang, self.version, self.profiles, self.charts = (
            data,
            lang,
            version,
            profiles,
            chart_set,
        )
        self.names = report.node_names(data, lang)
        self.note = i18n.data_label_text(data.data_label, lang)
        self.footer = f"vetdx · {self.t('version')} {i18n.ltr(version, lang)} · {self.note}"
        # A country's PDF names no version: it is the same file in every version whose figures for
        # that country are the same, and is reused (the manifest of each version lists it).
        self.profile_footer = f"vetdx · {self.note}"
        # String sizes and shaped glyphs, for every PDF this object writes: the headers, labels and
        # notes recur on every page and in every country's PDF.
        self.text_cache = TextCache()

    def t(self, key: str) -> str:
        return i18n.t(key, self.lang)

    def num(self, value: float | None) -> str:
        return i18n.fmt_number(value, self.lang)

    def rank(self, value: float | None) -> str:
        return "–" if value is None else i18n.ltr(f"{value:.0f}", self.lang)

    def _open(self, path: Path) -> PdfPages:
        path.parent.mkdir(parents=True, exist_ok=True)
        return PdfPages(path, metadata=METADATA)

    # --- summary report --------------------------------------------------------------------------
    def summary(self, path: Path) -> Path:
        with plt.rc_context(STYLE), self._open(path) as pdf:
            doc = Document(pdf, self.lang, self.footer, self.text_cache)
            self._cover(doc)
            doc.break_page()
            for dimension in self.data.dimensions:
                doc.heading(f"{self.t('pdf_rankings')}: {self.names.get(dimension, dimension)}")
                self._ranking_table(doc, dimension)
                doc.figure(self.charts.ranking(dimension))
            doc.figure(self.charts.heatmap())
            doc.figure(self.charts.trends())
            self._methodology(doc)
            doc.break_page()
            self._data_notes(doc)
            doc.close()
        return path

    def _cover(self, doc: Document) -> None:
        doc.heading(self.t("app_title"), size=14)
        doc.heading(self.t("pdf_summary_title"), size=12)
        doc.paragraph(self.note, colour="#9c0006")
        facts = [
            (self.t("version"), i18n.ltr(self.version, self.lang)),
            (self.t("latest_round"), i18n.ltr(str(self.data.latest_round), self.lang)),
            (self.t("rounds"), i18n.ltr(", ".join(str(r) for r in self.data.rounds), self.lang)),
            (self.t("countries_count"), i18n.ltr(str(self.data.marts["countries"].height), self.lang)),
        ]
        doc.table([Column("", 0.3), Column("", 0.7)], facts)
        for key in ("readme_what", "readme_scores", "sign_convention", "readme_method"):
            doc.paragraph(self.t(key))
        doc.heading(self.t("pdf_contents"), size=11)
        sections = [self.t("pdf_rankings"), self.t("chart_heatmap"), self.t("chart_trends")]
        sections += [self.t("sheet_methodology"), self.t("pdf_data_notes")]
        for section in sections:
            doc.paragraph(f"• {section}")

    def _ranking_table(self, doc: Document, dimension: str) -> None:
        table = report.ranking(self.data, dimension, self.lang)
        round_ = i18n.ltr(str(self.data.latest_round), self.lang)
        unit = f"{self.t('context_unit')}: {self.t('unit_score')}"
        doc.paragraph(f"{self.t('context_round')}: {round_} · {unit}. {self.t('sign_convention')}", size=7.5)
        columns = [
            Column(self.t("col_rank"), 0.07, numeric=True),
            Column(self.t("col_country"), 0.27),
            Column(self.t("col_oic_group"), 0.16),
            Column(self.t("col_score"), 0.09, numeric=True),
            Column(self.t("chart_rank_interval"), 0.19, numeric=True),
            Column(self.t("col_gap_to_oic_median"), 0.22, numeric=True),
        ]
        rows = [
            [
                self.rank(r["rank"]),
                r["country"] or r["iso3"],
                i18n.group_label(r["oic_group"], self.lang),
                self.num(r["score"]),
                "–"
                if r["rank_p05"] is None
                else i18n.ltr(f"{r['rank_p05']:.0f}–{r['rank_p95']:.0f}", self.lang),
                self.num(r["gap_to_oic_median"]),
            ]
            for r in table.iter_rows(named=True)
        ]
        doc.table(columns, rows, size=7)
        left_out = self.charts.left_out(dimension)
        if left_out:
            doc.paragraph(left_out, size=7)

    def _methodology(self, doc: Document) -> None:
        doc.break_page()
        doc.heading(self.t("sheet_methodology"))
        doc.paragraph(self.t("methodology_columns"), size=7.5)
        nodes = self.data.marts["indicators"].sort("level", "parent", "code", nulls_last=False)
        columns = [
            Column(self.t("col_name"), 0.3),
            Column(self.t("col_node_type"), 0.1),
            Column(self.t("col_unit"), 0.14),
            Column(self.t("col_direction"), 0.1),
            Column(self.t("col_goalposts"), 0.1),
            Column(self.t("col_normalisation"), 0.12),
            Column(self.t("col_weight"), 0.06, numeric=True),
            Column(self.t("col_aggregation"), 0.08),
        ]
        rows = []
        for row in nodes.iter_rows(named=True):
            leaf = row["node_type"] == "indicator"
            rows.append(
                [
                    "  " * row["level"] + self.names.get(row["code"], row["code"]),
                    i18n.term("node_type", row["node_type"], self.lang),
                    i18n.term("unit", row["unit"], self.lang),
                    i18n.term("direction", row["direction"], self.lang),
                    goalposts_text(row, self.lang),
                    i18n.term("normalisation", row["normalisation"], self.lang) if leaf else "",
                    i18n.fmt_number(row["weight"], self.lang, digits=2),
                    "" if leaf else i18n.term("aggregation", row["aggregation"], self.lang),
                ]
            )
        doc.table(columns, rows, size=6)

    def _data_notes(self, doc: Document) -> None:
        doc.heading(self.t("pdf_data_notes"))
        doc.paragraph(self.note, colour="#9c0006")
        values = self.data.marts["indicator_values"].filter(pl.col("round") == self.data.latest_round)
        present = values.filter(pl.col("imputed_value").is_not_null())
        shares = [
            (self.t("pdf_imputed_share"), present.filter(pl.col("is_imputed")).height, present.height),
            (
                self.t("pdf_flagged_share"),
                present.filter(pl.col("quality_flag") == "few_respondents").height,
                present.height,
            ),
        ]
        for label, part, whole in shares:
            doc.paragraph(f"{label}: {i18n.ltr(f'{part} / {whole}', self.lang)}")
        doc.heading(self.t("pdf_unscored"), size=11)
        for dimension in self.data.dimensions:
            missing = report.unscored(self.data, dimension, self.lang)
            if missing:
                doc.paragraph(self.names.get(dimension, dimension), size=8.5)
                doc.table(
                    [Column(self.t("col_country"), 0.35), Column(self.t("col_missing_reason"), 0.65)],
                    missing,
                    size=7,
                )

    # --- country profiles ----------------------------------------------------------------------
    def profiles_pdf(self, folder: Path, iso3s: Sequence[str]) -> list[Path]:
        canvas = self.charts.radar_canvas()
        written: list[Path] = []
        with plt.rc_context(STYLE):
            for iso3 in iso3s:
                profile = self.profiles[iso3]
                path = folder / f"{iso3}.pdf"
                with self._open(path) as pdf:
                    doc = Document(pdf, self.lang, self.profile_footer, self.text_cache)
                    self._profile_page(doc, profile)
                    if canvas is not None:
                        doc.figure(self.charts.radar(canvas, profile), close=False)
                    doc.close()
                written.append(path)
        if canvas is not None:
            canvas.close()
        return written

    def _profile_page(self, doc: Document, p: report.CountryProfile) -> None:
        doc.heading(f"{self.t('profile_title')}: {p.name} ({p.iso3})")
        doc.paragraph(self.note, colour="#9c0006")
        doc.paragraph(
            f"{self.t('col_oic_group')}: {i18n.group_label(p.oic_group, self.lang)} · "
            f"{self.t('col_income_group')}: {i18n.income_label(p.income_group, self.lang)} · "
            f"{self.t('latest_round')}: {i18n.ltr(str(p.round), self.lang)}"
        )
        doc.heading(self.t("profile_scores"), size=11)
        doc.paragraph(
            f"{self.t('context_unit')}: {self.t('unit_score')}. {self.t('sign_convention')}", size=7.5
        )
        columns = [
            Column(self.t("col_dimension"), 0.28),
            Column(self.t("col_score"), 0.1, numeric=True),
            Column(self.t("col_rank"), 0.08, numeric=True),
            Column(self.t("col_oic_median"), 0.12, numeric=True),
            Column(self.t("col_group_median"), 0.14, numeric=True),
            Column(self.t("col_gap_to_oic_median"), 0.14, numeric=True),
            Column(self.t("col_gap_to_group_median"), 0.14, numeric=True),
        ]
        rows = [
            [
                r["name"],
                self.num(r["score"]),
                self.rank(r["rank"]),
                self.num(r["oic_median"]),
                self.num(r["group_median"]),
                self.num(r["gap_to_oic_median"]),
                self.num(r["gap_to_group_median"]),
            ]
            for r in p.scores.iter_rows(named=True)
        ]
        doc.table(columns, rows)
        for dimension, why in p.missing.items():
            doc.paragraph(
                f"{self.names.get(dimension, dimension)}: {i18n.reason(why, self.lang, self.names)}", size=7.5
            )
        for key, frame in (("strengths", p.strengths), ("weaknesses", p.weaknesses)):
            doc.heading(self.t(key), size=11)
            if frame.height == 0:
                doc.paragraph(self.t("none_found"))
                continue
            doc.table(
                [
                    Column(self.t("col_indicator_name"), 0.55),
                    Column(self.t("col_score"), 0.13, numeric=True),
                    Column(self.t("col_oic_median"), 0.14, numeric=True),
                    Column(self.t("col_gap_to_oic_median"), 0.18, numeric=True),
                ],
                [
                    [
                        r["name"],
                        self.num(r["score"]),
                        self.num(r["oic_median"]),
                        self.num(r["gap_to_oic_median"]),
                    ]
                    for r in frame.iter_rows(named=True)
                ],
            )
        if not self.charts.radar_canvas_possible():
            doc.paragraph(self.t("chart_radar_none"), size=7.5)


def write_summary_pdf(folder: Path, reports: Reports) -> Path:
    """`vetdx_<version>_<lang>.pdf`."""
    return reports.summary(folder / summary_name(reports.version, reports.lang))


def write_profile_pdfs(folder: Path, reports: Reports, iso3s: Sequence[str]) -> list[Path]:
    """`profiles/<ISO3>.pdf` of each country in `iso3s`."""
    return reports.profiles_pdf(folder / "profiles", iso3s)

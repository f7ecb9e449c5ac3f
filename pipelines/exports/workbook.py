"""The Excel workbook for report writers (xlsxwriter).

Every sheet: a title row, the data label (synthetic or official) in red, then a table with a frozen
header, number formats and column widths fitted to the content. Arabic sheets run right to left.
The file's creation date is the version's publication time, so one version always gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipelines import i18n
from pipelines.exports import report
from pipelines.exports.marts import PublishedData

HEADER_ROW = 2  # row 0: title, row 1: data label, row 2: column headers, data from row 3
MAX_COLUMN_WIDTH = 60
SHEET_NAME_LIMIT = 31  # Excel's limit
SCORE_COLUMNS = {
    "score",
    "gap",
    "gap_to_frontier",
    "gap_to_oic_median",
    "gap_to_group_median",
    "gap_to_target",
    "change_since_previous",
    "normalised_score",
    "value",
    "oic_median",
    "group_median",
    "diff_oic_median",
    "diff_group_median",
}
RANK_COLUMNS = {
    "rank",
    "rank_in_oic_group",
    "rank_in_income_group",
    "median_rank",
    "rank_p05",
    "rank_p95",
    "draws",
}
SHARE_COLUMNS = {"coverage", "weight", "nominal_weight_in_index"}


@dataclass(frozen=True)
class Formats:
    title: object
    label: object
    header: object
    text: object
    score: object
    rank: object
    share: object
    number: object


def _formats(book: xlsxwriter.Workbook, rtl: bool) -> Formats:
    base = {"reading_order": 2} if rtl else {}

    def fmt(**props: object) -> object:
        return book.add_format({**base, **props})

    return Formats(
        title=fmt(bold=True, font_size=14),
        label=fmt(bold=True, font_color="#9c0006"),
        header=fmt(
            bold=True, bg_color="#1f5f8b", font_color="#ffffff", text_wrap=True, valign="top", border=1
        ),
        text=fmt(),
        score=fmt(num_format="0.0"),
        rank=fmt(num_format="0"),
        share=fmt(num_format="0.00"),
        number=fmt(num_format="#,##0.######"),
    )


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name: 31 characters, none of []:*?/\\ ."""
    name = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:SHEET_NAME_LIMIT] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate, n = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


class WorkbookWriter:
    def __init__(
        self,
        path: Path,
        data: PublishedData,
        lang: str,
        version: str,
        profiles: dict[str, report.CountryProfile],
    ) -> None:
        self.data, self.lang, self.version, self.profiles = data, lang, version, profiles
        self.rtl = i18n.is_rtl(lang)
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_urls": False})
        self.book.set_properties(
            {
                "title": i18n.t("app_title", lang),
                "subject": i18n.data_label_text(data.data_label, lang),
                "author": "vetdx",
                "created": _created(data),
            }
        )
        self.formats = _formats(self.book, self.rtl)
        self.taken: set[str] = set()
        self.note = i18n.data_label_text(data.data_label, lang)
        self.names = report.node_names(data, lang)
        self.countries = report.country_names(data, lang)

    # --- sheets -------------------------------------------------------------------------------
    def write(self) -> None:
        self.readme()
        self.methodology()
        for dimension in self.data.dimensions:
            self.table_sheet(
                self.names.get(dimension, dimension),
                self._localise(report.ranking(self.data, dimension, self.lang)),
            )
        self.table_sheet(i18n.t("sheet_values", self.lang), self.indicator_values())
        self.table_sheet(i18n.t("sheet_benchmarks", self.lang), self.benchmarks())
        self.table_sheet(i18n.t("sheet_rank_intervals", self.lang), self.rank_intervals())
        for iso3 in self.profiles:
            self.profile(iso3)
        self.book.close()

    def readme(self) -> None:
        ws = self._sheet(i18n.t("sheet_readme", self.lang))
        f = self.formats
        ws.write(0, 0, i18n.t("app_title", self.lang), f.title)
        ws.write(1, 0, self.note, f.label)
        facts = [
            ("version", self.version),
            ("language", self.lang),
            ("data_label", self.data.data_label or i18n.t("official_data", self.lang)),
            ("latest_round", self.data.latest_round),
            ("rounds", ", ".join(str(r) for r in self.data.rounds)),
            ("countries_count", self.data.marts["countries"].height),
        ]
        for row, (key, value) in enumerate(facts, start=3):
            ws.write(row, 0, i18n.t(key, self.lang), f.header)
            ws.write(row, 1, value, f.text)
        row = len(facts) + 4
        for key in ("readme_what", "readme_scores", "readme_method", "readme_profiles"):
            ws.write(row, 0, i18n.t(key, self.lang), f.text)
            row += 1
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 40)

    def methodology(self) -> None:
        nodes = self.data.marts["indicators"].with_columns(
            name=pl.col(f"name_{self.lang}").fill_null(pl.col("name_en"))
        )
        table = nodes.sort("level", "parent", "code", nulls_last=False).select(
            "code",
            "name",
            "parent",
            "level",
            "node_type",
            "unit",
            "direction",
            "weight",
            "normalisation",
            "aggregation",
            "transform",
            "imputation",
            "source",
            "formula",
        )
        self.table_sheet(i18n.t("sheet_methodology", self.lang), table)

    def indicator_values(self) -> pl.DataFrame:
        values = self.data.marts["indicator_values"]
        return self._localise(
            values.with_columns(
                indicator_name=pl.col("indicator").replace_strict(self.names, default=None)
            ).select(
                "iso3",
                "round",
                "indicator",
                "indicator_name",
                "raw_value",
                "denominated_value",
                "imputed_value",
                "imputation_method",
                "is_imputed",
                "treated_value",
                "treatment",
                "normalised_score",
                "source",
                "quality_flag",
            )
        )

    def benchmarks(self) -> pl.DataFrame:
        frame = self.data.marts["benchmarks"].with_columns(
            node_name=pl.col("node").replace_strict(self.names, default=None)
        )
        return frame.select("round", "node", "node_name", "group_type", "group_value", "benchmark", "value")

    def rank_intervals(self) -> pl.DataFrame:
        return self._localise(
            self.data.marts["rank_intervals"].select(
                "iso3", "round", "dimension", "median_rank", "rank_p05", "rank_p95", "draws"
            )
        )

    def profile(self, iso3: str) -> None:
        p = self.profiles[iso3]
        ws = self._sheet(iso3)
        f = self.formats
        group = i18n.group_label(p.oic_group, self.lang)
        ws.write(0, 0, f"{i18n.t('profile_title', self.lang)}: {p.name} ({iso3}) - {p.round}", f.title)
        ws.write(1, 0, self.note, f.label)
        row = self._table(
            ws,
            HEADER_ROW + 1,
            p.scores.drop("dimension"),
            title=f"{i18n.t('profile_scores', self.lang)} ({group})",
        )
        for key, frame in (("strengths", p.strengths), ("weaknesses", p.weaknesses)):
            row = self._table(ws, row + 1, frame.drop("indicator"), title=i18n.t(key, self.lang))
        ws.set_column(0, 0, 45)
        ws.set_column(1, 6, 14)

    # --- helpers ------------------------------------------------------------------------------
    def _localise(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Add the country name after iso3, dimension names, translated OIC groups."""
        if "iso3" in frame.columns and "country" not in frame.columns:
            frame = frame.with_columns(country=pl.col("iso3").replace_strict(self.countries, default=None))
            columns = frame.columns
            columns.insert(columns.index("iso3") + 1, columns.pop(columns.index("country")))
            frame = frame.select(columns)
        if "dimension" in frame.columns:
            frame = frame.with_columns(
                pl.col("dimension").replace_strict(self.names, default=pl.col("dimension"))
            )
        if "oic_group" in frame.columns:
            groups = {g: i18n.group_label(g, self.lang) for g in frame["oic_group"].drop_nulls().unique()}
            frame = frame.with_columns(pl.col("oic_group").replace_strict(groups, default=None))
        return frame

    def _sheet(self, name: str) -> Worksheet:
        ws = self.book.add_worksheet(sheet_name(name, self.taken))
        if self.rtl:
            ws.right_to_left()
        return ws

    def table_sheet(self, name: str, frame: pl.DataFrame) -> None:
        ws = self._sheet(name)
        ws.write(0, 0, name, self.formats.title)
        ws.write(1, 0, self.note, self.formats.label)
        self._table(ws, HEADER_ROW, frame)
        ws.freeze_panes(HEADER_ROW + 1, 0)
        ws.autofilter(HEADER_ROW, 0, HEADER_ROW + frame.height, max(frame.width - 1, 0))

    def _table(self, ws: Worksheet, first_row: int, frame: pl.DataFrame, title: str | None = None) -> int:
        """Write `frame` with localised headers at `first_row` (after an optional title); return next row."""
        f = self.formats
        row = first_row
        if title is not None:
            ws.write(row, 0, title, f.title)
            row += 1
        headers = [i18n.column_label(c, self.lang) for c in frame.columns]
        ws.write_row(row, 0, headers, f.header)
        widths = [min(max(len(h), 8) + 2, MAX_COLUMN_WIDTH) for h in headers]
        if frame.height == 0:
            ws.write(row + 1, 0, i18n.t("none_found", self.lang), f.text)
            return row + 2
        for col, name in enumerate(frame.columns):
            cell_format = self._format(name, frame.schema[name])
            values = frame[name].to_list()
            for offset, value in enumerate(values, start=1):
                ws.write(row + offset, col, value, cell_format)
            longest = max((len(str(v)) for v in values if v is not None), default=0)
            widths[col] = min(max(widths[col], longest + 2), MAX_COLUMN_WIDTH)
        if title is None:  # a sheet of one table: fit the columns (profiles set theirs)
            for col, width in enumerate(widths):
                ws.set_column(col, col, width)
        return row + frame.height + 1

    def _format(self, column: str, dtype: pl.DataType) -> object:
        f = self.formats
        if column in SCORE_COLUMNS:
            return f.score
        if column in RANK_COLUMNS:
            return f.rank
        if column in SHARE_COLUMNS:
            return f.share
        if dtype.is_numeric() and column not in {"round", "level", "direction"}:
            return f.number
        return f.text


def _created(data: PublishedData) -> datetime:
    published = data.version_record.get("published_at")
    return datetime.fromisoformat(published) if published else datetime(2000, 1, 1)


def write_workbook(
    path: Path, data: PublishedData, lang: str, version: str, profiles: dict[str, report.CountryProfile]
) -> Path:
    WorkbookWriter(path, data, lang, version, profiles).write()
    return path

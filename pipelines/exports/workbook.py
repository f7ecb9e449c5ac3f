"""The Excel workbook for report writers (xlsxwriter).

Every sheet: a title row, the data label (synthetic or official) in red, a row saying the sheet's
round(s), unit and source, a row of notes (the sign convention of gaps, and why a column is empty),
then a table with a frozen header, number formats and column widths fitted to the content. Arabic
sheets run right to left, with numbers inside text isolated left to right. The file's creation date is
the version's publication time, so one version always gives the same bytes.
"""

from __future__ import annotations

import math
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

# row 0: title, 1: data label, 2: round/unit/source, 3: notes, 4: column headers, data from row 5
CONTEXT_ROW, NOTES_ROW, HEADER_ROW = 2, 3, 4
MAX_COLUMN_WIDTH = 60
SHEET_NAME_LIMIT = 31  # Excel's limit
STORED_DECIMALS = 6  # values are stored rounded: 8.049999999999955 (a difference of floats) is 8.05
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
}
RANK_COLUMNS = {
    "rank",
    "rank_in_oic_group",
    "rank_in_income_group",
    "median_rank",
    "rank_p05",
    "rank_p95",
    "draws",
    "n_countries",
}
SHARE_COLUMNS = {"coverage", "weight", "nominal_weight_in_index"}
# Columns that hold English codes or phrases of the marts: value -> label through i18n.term(kind)
TERM_COLUMNS = {
    "income_group": "income",
    "node_type": "node_type",
    "unit": "unit",
    "direction": "direction",
    "normalisation": "normalisation",
    "aggregation": "aggregation",
    "transform": "transform",
    "imputation": "imputation",
    "treatment": "treatment",
    "imputation_method": "method",
    "quality_flag": "flag",
    "group_type": "group_type",
    "benchmark": "benchmark",
    "is_imputed": "bool",
}
# Why a column can be empty for a whole sheet (label key); any other empty column: `empty_default`
EMPTY_REASONS = {
    "gap_to_target": "empty_gap_to_target",
    "change_since_previous": "empty_change_since_previous",
    "rank_p05": "empty_rank_intervals",
    "rank_p95": "empty_rank_intervals",
}


@dataclass(frozen=True)
class Formats:
    title: object
    label: object
    context: object
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
        context=fmt(italic=True, font_color="#444444"),
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
    """A valid, unique Excel sheet name: 31 characters, none of []:*?/\\ . A longer name is cut at a
    word boundary and ends with an ellipsis, so a reader sees it is shortened (the title row has it
    in full)."""
    name = re.sub(r"[\[\]:*?/\\]", " ", text).strip() or "Sheet"
    if len(name) > SHEET_NAME_LIMIT:
        cut = name[: SHEET_NAME_LIMIT - 1]
        cut = cut[: cut.rfind(" ")] if " " in cut else cut
        name = cut.rstrip(" ,;-") + "…"
    candidate, n = name, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate, n = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def stored(value: object) -> object:
    """A float as written to a cell: rounded to STORED_DECIMALS (NaN becomes an empty cell)."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, STORED_DECIMALS)
    return value


def goalposts_text(row: dict, lang: str) -> str:
    """'0 to 100', 'target 25' or 'none (relative to the data)' for a leaf; '' for an internal node."""
    if row["node_type"] != "indicator":
        return ""
    num = lambda v: i18n.ltr(f"{v:g}", lang)  # noqa: E731
    if row.get("target") is not None:
        return i18n.t("goalposts_target", lang).format(target=num(row["target"]))
    if row.get("lower_bound") is not None and row.get("upper_bound") is not None:
        return i18n.t("goalposts_range", lang).format(lo=num(row["lower_bound"]), hi=num(row["upper_bound"]))
    return i18n.t("goalposts_none", lang)


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

    def t(self, key: str) -> str:
        return i18n.t(key, self.lang)

    def ltr(self, value: object) -> str:
        return i18n.ltr(str(value), self.lang)

    # --- sheets -------------------------------------------------------------------------------
    def write(self) -> None:
        self.readme()
        self.methodology()
        round_ = self.data.latest_round
        for dimension in self.data.dimensions:
            self.table_sheet(
                self.names.get(dimension, dimension),
                self._localise(report.ranking(self.data, dimension, self.lang)),
                self._context(rounds=[round_], unit=self.t("unit_score"), mart="gap_indices"),
                gaps=True,
            )
        rounds = self.data.rounds
        self.table_sheet(
            self.t("sheet_values"),
            self.indicator_values(),
            self._context(rounds=rounds, unit=self.t("unit_indicator_own"), mart="indicator_values"),
        )
        self.table_sheet(
            self.t("sheet_benchmarks"),
            self.benchmarks(),
            self._context(rounds=rounds, unit=self.t("unit_score"), mart="benchmarks"),
        )
        self.table_sheet(
            self.t("sheet_rank_intervals"),
            self.rank_intervals(),
            self._context(rounds=rounds, unit=self.t("unit_ranks"), mart="rank_intervals"),
        )
        for iso3 in self.profiles:
            self.profile(iso3)
        self.book.close()

    def readme(self) -> None:
        ws = self._sheet(self.t("sheet_readme"))
        f = self.formats
        ws.write(0, 0, self.t("app_title"), f.title)
        ws.write(1, 0, self.note, f.label)
        facts = [
            ("version", self.ltr(self.version)),
            ("language", self.lang),
            ("data_label", self.note),
            ("latest_round", self.ltr(self.data.latest_round)),
            ("rounds", self.ltr(", ".join(str(r) for r in self.data.rounds))),
            ("countries_count", self.data.marts["countries"].height),
        ]
        for row, (key, value) in enumerate(facts, start=3):
            ws.write(row, 0, self.t(key), f.header)
            ws.write(row, 1, value, f.text)
        row = len(facts) + 4
        keys = ("readme_what", "readme_scores", "sign_convention", "readme_method", "readme_sheets")
        for key in (*keys, "readme_profiles"):
            ws.write(row, 0, self.t(key), f.text)
            row += 1
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 40)

    def methodology(self) -> None:
        nodes = self.data.marts["indicators"].with_columns(
            name=pl.col(f"name_{self.lang}").fill_null(pl.col("name_en"))
        )
        goalposts = [goalposts_text(row, self.lang) for row in nodes.iter_rows(named=True)]
        table = (
            nodes.with_columns(goalposts=pl.Series(goalposts, dtype=pl.String))
            .sort("level", "parent", "code", nulls_last=False)
            .select(
                "code",
                "name",
                "parent",
                "level",
                "node_type",
                "unit",
                "direction",
                "goalposts",
                "normalisation",
                "weight",
                "nominal_weight_in_index",
                "aggregation",
                "transform",
                "imputation",
                "treatment",
                "source",
                "formula",
            )
        )
        # an internal node has no normalisation and a leaf no aggregation: empty by construction
        self.table_sheet(
            self.t("sheet_methodology"),
            self._localise(table),
            self._context(rounds=None, unit=self.t("unit_catalogue"), mart="indicators"),
            notes=[self.t("methodology_columns")],
            explain_empty=False,
        )

    def indicator_values(self) -> pl.DataFrame:
        values = self.data.marts["indicator_values"]
        units = dict(
            zip(self.data.marts["indicators"]["code"], self.data.marts["indicators"]["unit"], strict=True)
        )
        return self._localise(
            values.with_columns(
                indicator_name=pl.col("indicator").replace_strict(self.names, default=None),
                unit=pl.col("indicator").replace_strict(units, default=None),
            ).select(
                "iso3",
                "round",
                "indicator",
                "indicator_name",
                "unit",
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
                "missing_reason",
            )
        )

    def benchmarks(self) -> pl.DataFrame:
        frame = self.data.marts["benchmarks"].with_columns(
            node_name=pl.col("node").replace_strict(self.names, default=None)
        )
        groups = {g: self._group_value(g) for g in frame["group_value"].drop_nulls().unique()}
        return self._localise(
            frame.with_columns(pl.col("group_value").replace_strict(groups, default=None)).select(
                "round", "node", "node_name", "group_type", "group_value", "benchmark", "value", "n_countries"
            )
        )

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
        income = i18n.income_label(p.income_group, self.lang)
        ws.write(0, 0, f"{self.t('profile_title')}: {p.name} ({iso3}) - {self.ltr(p.round)}", f.title)
        ws.write(1, 0, self.note, f.label)
        ws.write(
            CONTEXT_ROW,
            0,
            f"{self.t('col_oic_group')}: {group} · {self.t('col_income_group')}: {income} · "
            + self._context(rounds=[p.round], unit=self.t("unit_score"), mart="scores"),
            f.context,
        )
        ws.write(NOTES_ROW, 0, self.t("sign_convention"), f.context)
        row = self._table(ws, HEADER_ROW, p.scores.drop("dimension"), title=self.t("profile_scores"))
        for dimension, why in p.missing.items():
            text = f"{self.names.get(dimension, dimension)}: {i18n.reason(why, self.lang, self.names)}"
            ws.write(row, 0, text, f.context)
            row += 1
        for key, frame in (("strengths", p.strengths), ("weaknesses", p.weaknesses)):
            row = self._table(ws, row + 1, frame.drop("indicator"), title=self.t(key))
        ws.set_column(0, 0, 45)
        ws.set_column(1, 6, 14)

    # --- helpers ------------------------------------------------------------------------------
    def _context(self, rounds: list[int] | None, unit: str, mart: str) -> str:
        """'Round: 2025 · Unit: score 0-100 (100 = no gap) · Source: vetdx warehouse, version V (marts.x)'."""
        parts = []
        if rounds is not None:
            key = "context_round" if len(rounds) == 1 else "context_rounds"
            parts.append(f"{self.t(key)}: {self.ltr(', '.join(str(r) for r in rounds))}")
        parts.append(f"{self.t('context_unit')}: {unit}")
        parts.append(
            f"{self.t('context_source')}: {self.t('source_marts')} {self.ltr(self.version)} (marts.{mart})"
        )
        return " · ".join(parts)

    def _group_value(self, value: str) -> str:
        """A benchmark's group: OIC, an OIC group or an income group, translated."""
        if value == "OIC":
            return self.t("group_oic")
        if i18n.has(f"oic_group_{value}"):
            return i18n.group_label(value, self.lang)
        return i18n.term("income", value, self.lang)

    def _localise(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Country name after iso3; dimension names; OIC groups, income groups, methods, units, flags and
        missing reasons in the workbook's language."""
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
        for column, kind in TERM_COLUMNS.items():
            if column in frame.columns:
                frame = frame.with_columns(self._translated(frame[column], kind))
        if "source" in frame.columns and "indicator" in frame.columns:  # indicator values: `type:name`
            frame = frame.with_columns(self._translated(frame["source"], "source"))
        if "missing_reason" in frame.columns:
            reasons = {
                r: i18n.reason(r, self.lang, self.names)
                for r in frame["missing_reason"].drop_nulls().unique()
            }
            frame = frame.with_columns(pl.col("missing_reason").replace_strict(reasons, default=None))
        return frame

    def _translated(self, column: pl.Series, kind: str) -> pl.Series:
        mapping = {v: i18n.term(kind, v, self.lang) for v in column.drop_nulls().unique().to_list()}
        return pl.Series(
            column.name, [None if v is None else mapping[v] for v in column.to_list()], pl.String
        )

    def _sheet(self, name: str) -> Worksheet:
        ws = self.book.add_worksheet(sheet_name(name, self.taken))
        if self.rtl:
            ws.right_to_left()
        return ws

    def table_sheet(
        self,
        name: str,
        frame: pl.DataFrame,
        context: str,
        *,
        gaps: bool = False,
        notes: list[str] | None = None,
        explain_empty: bool = True,
    ) -> None:
        ws = self._sheet(name)
        ws.write(0, 0, name, self.formats.title)
        ws.write(1, 0, self.note, self.formats.label)
        ws.write(CONTEXT_ROW, 0, context, self.formats.context)
        lines = list(notes or [])
        if gaps:
            lines.append(self.t("sign_convention"))
        if explain_empty and frame.height:
            lines += self._empty_columns(frame)
        ws.write(NOTES_ROW, 0, " ".join(lines), self.formats.context)
        self._table(ws, HEADER_ROW, frame)
        ws.freeze_panes(HEADER_ROW + 1, 0)
        ws.autofilter(HEADER_ROW, 0, HEADER_ROW + frame.height, max(frame.width - 1, 0))

    def _empty_columns(self, frame: pl.DataFrame) -> list[str]:
        """'Empty columns: Gap to target (no national targets set).' for each all-NULL column."""
        empty = [c for c in frame.columns if frame[c].null_count() == frame.height]
        if not empty:
            return []
        listed = "; ".join(
            f"{i18n.column_label(c, self.lang)} ({self.t(EMPTY_REASONS.get(c, 'empty_default'))})"
            for c in empty
        )
        return [f"{self.t('empty_columns')}: {listed}."]

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
            ws.write(row + 1, 0, self.t("none_found"), f.text)
            return row + 2
        for col, name in enumerate(frame.columns):
            cell_format = self._format(name, frame.schema[name])
            values = [stored(v) for v in frame[name].to_list()]
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
        if dtype.is_numeric() and column not in {"round", "level"}:
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

"""The charts of one export set, as Matplotlib figures built from the report tables.

PNG/SVG files (`write_charts`) and the PDF reports (`pdf.py`) draw the same figures from here, so a
chart pasted from either shows the same figures, labels and notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from pipelines import i18n
from pipelines.exports import charts, report
from pipelines.exports.keys import drawn
from pipelines.exports.marts import PublishedData


class ChartSet:
    def __init__(self, data: PublishedData, lang: str, profiles: dict[str, report.CountryProfile]) -> None:
        self.data, self.lang, self.profiles = data, lang, profiles
        self.note = i18n.data_label_text(data.data_label, lang)
        self.names = report.node_names(data, lang)
        self.countries = report.country_names(data, lang)
        self.round = data.latest_round
        self.spokes = report.radar_spokes(data)

    def t(self, key: str) -> str:
        return i18n.t(key, self.lang)

    def _title(self, text: str) -> str:
        return f"{text} - {i18n.ltr(str(self.round), self.lang)}"

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    # Each chart is drawn from its `*_args` alone, so those arguments are the chart's content key.
    def heatmap_args(self) -> dict:
        matrix = drawn(report.heatmap_matrix(self.data))
        return {
            "matrix": matrix,
            "row_labels": [self.countries[c] for c in matrix["iso3"]],
            "column_labels": [self.name(c) for c in matrix.columns[1:]],
            "title": self._title(self.t("chart_heatmap")),
            "note": self.note,
            "colour_label": self.t("chart_colour_bar"),
            "missing_label": self.t("chart_missing_cell"),
        }

    def heatmap(self) -> Figure:
        return charts.heatmap_figure(**self.heatmap_args())

    def left_out(self, dimension: str) -> str:
        """'Not shown, no score (2 of 57): Name (reason); ...' or '' when every country has a score."""
        missing = report.unscored(self.data, dimension, self.lang)
        if not missing:
            return ""
        total = self.data.marts["countries"].height
        head = self.t("chart_left_out").format(
            n=i18n.ltr(str(len(missing)), self.lang), total=i18n.ltr(str(total), self.lang)
        )
        separator = "؛ " if i18n.is_rtl(self.lang) else "; "
        return f"{head}: " + separator.join(f"{name} ({why})" for name, why in missing)

    def ranking_args(self, dimension: str) -> tuple[tuple, dict]:
        table = drawn(report.ranking(self.data, dimension, self.lang))
        scored = table.filter(table["score"].is_not_null())
        args = (
            table,
            [self.countries[c] for c in scored["iso3"]],
            self._title(self.name(dimension)),
            self.t("col_score"),
            self.t("chart_rank_interval"),
            self.note,
        )
        return args, {"left_out": self.left_out(dimension)}

    def ranking(self, dimension: str) -> Figure:
        args, kwargs = self.ranking_args(dimension)
        return charts.ranking_figure(*args, **kwargs)

    def trends_args(self) -> tuple:
        return (
            drawn(report.oic_medians_by_round(self.data)),
            {d: self.name(d) for d in self.data.dimensions},
            f"{self.t('chart_trends')} ({self.t('col_oic_median')})",
            self.t("col_score"),
            self.t("chart_round"),
            self.note,
        )

    def trends(self) -> Figure:
        return charts.trends_figure(*self.trends_args())

    def chart_args(self, name: str) -> object:
        """What the set-wide chart `name` (heatmap, ranking_<dimension>, trends) is drawn from."""
        if name == "heatmap":
            return self.heatmap_args()
        if name == "trends":
            return self.trends_args()
        return self.ranking_args(name.removeprefix("ranking_"))

    def chart_names(self) -> list[str]:
        return ["heatmap", *(f"ranking_{d}" for d in self.data.dimensions), "trends"]

    def radar_canvas_possible(self) -> bool:
        return len(self.spokes) >= charts.RadarCanvas.MIN_SPOKES

    def radar_canvas(self) -> charts.RadarCanvas | None:
        """None when the root has fewer than three children: no radar, the profile says so."""
        if not self.radar_canvas_possible():
            return None
        return charts.RadarCanvas([self.name(d) for d in self.spokes])

    def radar(self, canvas: charts.RadarCanvas, profile: report.CountryProfile) -> Figure:
        nodes = {row["node"]: row for row in profile.nodes.to_dicts()}
        values = {
            key: [nodes.get(d, {}).get(key) for d in self.spokes]
            for key in ("score", "oic_median", "group_median")
        }
        group = i18n.group_label(profile.oic_group, self.lang)
        series = {
            profile.name: values["score"],
            self.t("col_oic_median"): values["oic_median"],
            f"{self.t('col_group_median')} ({group})": values["group_median"],
        }
        missing = [self.name(d) for d, v in zip(self.spokes, values["score"], strict=True) if v is None]
        comma = "، " if i18n.is_rtl(self.lang) else ", "
        note = f"{self.t('chart_radar_missing')}: {comma.join(missing)}" if missing else ""
        title = f"{profile.name} - {self.t('chart_radar')} - {i18n.ltr(str(self.round), self.lang)}"
        return canvas.render(series, title, self.note, note)


def write_set_charts(folder: Path, chart_set: ChartSet, names: Sequence[str]) -> list[Path]:
    """The set-wide charts `names` (of `chart_names`), each as PNG and SVG."""
    files: list[Path] = []
    for name in names:
        if name == "heatmap":
            files += charts.save(chart_set.heatmap(), folder / name)
        elif name == "trends":
            files += charts.save(chart_set.trends(), folder / name)
        else:
            fig = chart_set.ranking(name.removeprefix("ranking_"))
            files += charts.save(fig, folder / name, tight=False, close=True)
    return files


def write_radars(folder: Path, chart_set: ChartSet, iso3s: Sequence[str]) -> list[Path]:
    """radar/<ISO3>.png and .svg of each country in `iso3s` (none when the set has no radar)."""
    canvas = chart_set.radar_canvas()
    if canvas is None:
        return []
    files: list[Path] = []
    for iso3 in iso3s:
        chart_set.radar(canvas, chart_set.profiles[iso3])
        files += charts.save(canvas.fig, folder / "radar" / iso3, tight=False)
    canvas.close()
    return files


def write_charts(
    folder: Path, data: PublishedData, lang: str, profiles: dict[str, report.CountryProfile]
) -> list[Path]:
    """Every chart of a set: heatmap, ranking_<dimension>, trends and radar/<ISO3>, PNG and SVG."""
    chart_set = ChartSet(data, lang, profiles)
    return write_set_charts(folder, chart_set, chart_set.chart_names()) + write_radars(
        folder, chart_set, list(profiles)
    )

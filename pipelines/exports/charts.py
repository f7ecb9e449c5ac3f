"""Charts a report writer pastes: heatmap, ranking bars with rank intervals, radar per country, trends.

PNG (150 dpi) and SVG of each. Matplotlib 3.11 shapes Arabic through libraqm (joined letters, right to
left) and DejaVu Sans, shipped with Matplotlib, has the Arabic glyphs, so no system font is needed.
SVG ids are salted with a constant and no date is written, so the same data give the same files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot

import matplotlib.pyplot as plt
import numpy as np
import polars as pl
from matplotlib.figure import Figure

FONT = "DejaVu Sans"
DPI = 150
STYLE = {
    "font.family": FONT,
    "font.size": 8,
    "svg.hashsalt": "vetdx",  # stable element ids across runs
    "svg.fonttype": "none",  # text stays text: searchable, and browsers shape Arabic with their own fonts
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COUNTRY_COLOUR = "#1f5f8b"
OIC_COLOUR = "#d08c00"
GROUP_COLOUR = "#6a8f3c"


def save(fig: Figure, stem: Path, tight: bool = True) -> list[Path]:
    """`stem`.png and `stem`.svg, without timestamps or software versions inside.

    `tight=False` keeps the figure open for reuse and skips the bounding-box pass (one extra draw).
    """
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    bbox = "tight" if tight else None
    fig.savefig(png, dpi=DPI, bbox_inches=bbox, metadata={"Software": None})
    fig.savefig(svg, bbox_inches=bbox, metadata={"Date": None, "Creator": None})
    if tight:
        plt.close(fig)
    return [png, svg]


def _footer(fig: Figure, note: str, below: bool = False) -> None:
    """The data label on the chart itself, so a pasted chart keeps it. `below` puts it under the
    figure's frame (for charts saved with a tight bounding box whose tick labels reach the bottom)."""
    y, va = (-0.01, "top") if below else (0.005, "bottom")
    fig.text(0.01, y, note, fontsize=6, color="#8b0000", ha="left", va=va)


def heatmap(
    matrix: pl.DataFrame,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    title: str,
    note: str,
    stem: Path,
) -> list[Path]:
    """Rows = countries, columns = dimensions; score 0-100, blank where there is no score."""
    values = matrix.drop("iso3").to_numpy().astype(float)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, max(4.0, 0.16 * len(row_labels) + 1.5)))
        image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap="RdYlGn", vmin=0, vmax=100)
        ax.set_xticks(range(len(column_labels)), column_labels, rotation=30, ha="right")
        ax.set_yticks(range(len(row_labels)), row_labels, fontsize=6)
        for (i, j), value in np.ndenumerate(values):
            if not np.isnan(value):
                ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=5)
        fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        ax.set_title(title)
        _footer(fig, note, below=True)
        return save(fig, stem)


def ranking(
    table: pl.DataFrame,
    labels: Sequence[str],
    title: str,
    score_label: str,
    rank_label: str,
    note: str,
    stem: Path,
) -> list[Path]:
    """Left: score bars in rank order. Right: the 5th-95th percentile rank interval and the rank."""
    scored = table.filter(pl.col("score").is_not_null())
    n = scored.height
    with plt.rc_context(STYLE):
        height = max(3.0, 0.16 * n + 1.5)
        fig, (bars, ranks) = plt.subplots(
            1, 2, sharey=True, figsize=(8, height), gridspec_kw={"width_ratios": [3, 2]}
        )
        # Fixed margins in inches (country names need ~1.9 in at 6 pt) instead of a tight bounding box,
        # which costs a whole extra draw of 57 labelled rows.
        fig.subplots_adjust(left=1.9 / 8, right=0.98, bottom=0.7 / height, top=1 - 0.45 / height, wspace=0.08)
        y = np.arange(n)
        bars.barh(y, scored["score"].to_numpy(), color=COUNTRY_COLOUR)
        bars.set_yticks(y, list(labels)[:n], fontsize=6)
        bars.invert_yaxis()
        bars.set_xlim(0, 100)
        bars.set_xlabel(score_label)
        low = scored["rank_p05"].to_numpy().astype(float)
        high = scored["rank_p95"].to_numpy().astype(float)
        rank = scored["rank"].to_numpy().astype(float)
        has_interval = ~np.isnan(low) & ~np.isnan(high)
        ranks.hlines(y[has_interval], low[has_interval], high[has_interval], color=OIC_COLOUR, linewidth=2)
        ranks.plot(rank, y, "o", color=COUNTRY_COLOUR, markersize=2.5)
        ranks.set_xlim(0, max(n, 1) + 1)
        ranks.set_xlabel(rank_label)
        fig.suptitle(title)
        _footer(fig, note)
        paths = save(fig, stem, tight=False)
        plt.close(fig)
        return paths


class RadarCanvas:
    """Radar of each country against the OIC and group medians, one figure reused for every country.

    Building a polar figure costs more than drawing it (~0.8 s per country with a fresh figure and a
    tight bounding box, against ~0.25 s reused with fixed margins), and 57 countries per language add up.
    A missing score leaves a gap in the outline rather than pretending to a value.
    """

    COLOURS = (COUNTRY_COLOUR, OIC_COLOUR, GROUP_COLOUR)

    def __init__(self, axes_labels: Sequence[str]) -> None:
        self.angles = np.linspace(0, 2 * np.pi, len(axes_labels), endpoint=False)
        with plt.rc_context(STYLE):
            self.fig = plt.figure(figsize=(6, 6))
            self.ax = self.fig.add_axes((0.17, 0.2, 0.66, 0.66), projection="polar")
            closed = np.append(self.angles, self.angles[0])
            self.lines = [
                self.ax.plot(closed, np.zeros_like(closed), color=c, linewidth=1.5, label=" ")[0]
                for c in self.COLOURS
            ]
            self.fills = [
                self.ax.fill(closed, np.zeros_like(closed), color=c, alpha=0.08)[0] for c in self.COLOURS
            ]
            self.ax.set_xticks(self.angles, list(axes_labels))
            self.ax.set_ylim(0, 100)
            self.ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=6)
            self.ax.set_rlabel_position(180 / len(axes_labels))  # between two spokes, clear of their labels
            self.legend = self.fig.legend(
                loc="lower center", bbox_to_anchor=(0.5, 0.03), ncols=3, fontsize=7, frameon=False
            )
            self.title = self.fig.suptitle(" ", y=0.97)
            self.footer = self.fig.text(0.01, 0.005, " ", fontsize=6, color="#8b0000", ha="left", va="bottom")

    def draw(
        self, series: dict[str, Sequence[float | None]], title: str, note: str, stem: Path
    ) -> list[Path]:
        closed_angles = np.append(self.angles, self.angles[0])
        for line, fill, text, (name, values) in zip(
            self.lines, self.fills, self.legend.get_texts(), series.items(), strict=False
        ):
            points = np.array([np.nan if v is None else v for v in values], dtype=float)
            closed = np.append(points, points[0])
            line.set_data(closed_angles, closed)
            fill.set_xy(np.column_stack([closed_angles, np.nan_to_num(closed)]))
            text.set_text(name)
        self.title.set_text(title)
        self.footer.set_text(note)
        with plt.rc_context(STYLE):
            return save(self.fig, stem, tight=False)

    def close(self) -> None:
        plt.close(self.fig)


def trends(
    medians: pl.DataFrame,
    dimension_labels: dict[str, str],
    title: str,
    score_label: str,
    note: str,
    stem: Path,
) -> list[Path]:
    """OIC median of each dimension across rounds (`medians`: round, dimension, value)."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, 4))
        for dimension, label in dimension_labels.items():
            line = medians.filter(pl.col("dimension") == dimension).sort("round")
            if line.height:
                width = 2.5 if dimension == "overall" else 1.2
                ax.plot(
                    line["round"].to_list(), line["value"].to_list(), marker="o", linewidth=width, label=label
                )
        rounds = sorted(medians["round"].unique().to_list())
        ax.set_xticks(rounds, [str(r) for r in rounds])
        ax.set_ylim(0, 100)
        ax.set_ylabel(score_label)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_title(title)
        _footer(fig, note)
        return save(fig, stem)

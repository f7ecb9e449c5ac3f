"""Charts a report writer pastes: heatmap, ranking bars with rank intervals, radar per country, trends.

PNG (150 dpi) and SVG of each. Matplotlib 3.11 shapes Arabic through libraqm (joined letters, right to
left) and DejaVu Sans, shipped with Matplotlib, has the Arabic glyphs, so no system font is needed.
SVG ids are salted with a constant and no date is written, so the same data give the same files.
"""

from __future__ import annotations

import textwrap
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


def save(fig: Figure, stem: Path, tight: bool = True, close: bool | None = None) -> list[Path]:
    """`stem`.png and `stem`.svg, without timestamps or software versions inside.

    `tight=False` skips the bounding-box pass (one extra draw) and, unless `close`, keeps the figure
    open for reuse.
    """
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    bbox = "tight" if tight else None
    # zlib level 3: ~15% faster than the default 6 for ~5% larger files, over 130 PNGs per language
    with plt.rc_context(STYLE):  # the SVG hash salt and text-as-text apply at save time
        fig.savefig(
            png, dpi=DPI, bbox_inches=bbox, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
        )
        fig.savefig(svg, bbox_inches=bbox, metadata={"Date": None, "Creator": None})
    if tight if close is None else close:
        plt.close(fig)
    return [png, svg]


NOTE_WIDTH = 150  # characters per line of a chart note at 6 pt on a 7-8 in wide chart
MISSING_MARK = "×"  # drawn in heatmap cells without a score


def _footer(fig: Figure, note: str, below: bool = False) -> None:
    """The data label on the chart itself, so a pasted chart keeps it. `below` puts it under the
    figure's frame (for charts saved with a tight bounding box whose tick labels reach the bottom)."""
    y, va = (-0.01, "top") if below else (0.005, "bottom")
    fig.text(0.01, y, note, fontsize=6, color="#8b0000", ha="left", va=va)


def wrap_note(text: str, width: int = NOTE_WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


def heatmap_figure(
    matrix: pl.DataFrame,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    title: str,
    note: str,
    colour_label: str,
    missing_label: str,
) -> Figure:
    """Rows = countries, columns = dimensions; score 0-100; a cell without a score is grey with a
    cross, and the legend under the chart says so."""
    values = matrix.drop("iso3").to_numpy().astype(float)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, max(4.0, 0.16 * len(row_labels) + 1.5)))
        ax.set_facecolor("#d9d9d9")  # masked (missing) cells show the axes background
        image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap="RdYlGn", vmin=0, vmax=100)
        ax.set_xticks(range(len(column_labels)), column_labels, rotation=30, ha="right")
        ax.set_yticks(range(len(row_labels)), row_labels, fontsize=6)
        for (i, j), value in np.ndenumerate(values):
            text = MISSING_MARK if np.isnan(value) else f"{value:.0f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=5)
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(colour_label)
        ax.set_title(title)
        if np.isnan(values).any():
            ax.set_xlabel(missing_label)
        _footer(fig, note, below=True)
        return fig


def ranking_figure(
    table: pl.DataFrame,
    labels: Sequence[str],
    title: str,
    score_label: str,
    rank_label: str,
    note: str,
    left_out: str = "",
) -> Figure:
    """Left: score bars in rank order. Right: the 5th-95th percentile rank interval and the rank.
    `left_out` names the countries without a score (and why) under the chart."""
    scored = table.filter(pl.col("score").is_not_null())
    n = scored.height
    left_out = wrap_note(left_out)
    note_lines = left_out.count("\n") + 1 if left_out else 0
    with plt.rc_context(STYLE):
        bottom = 0.7 + 0.11 * note_lines  # inches: axis label, then one 6 pt line per note line
        height = max(3.0, 0.16 * n + 0.8 + bottom)
        fig, (bars, ranks) = plt.subplots(
            1, 2, sharey=True, figsize=(8, height), gridspec_kw={"width_ratios": [3, 2]}
        )
        # Fixed margins in inches (country names need ~1.9 in at 6 pt) instead of a tight bounding box,
        # which costs a whole extra draw of 57 labelled rows.
        fig.subplots_adjust(
            left=1.9 / 8, right=0.98, bottom=bottom / height, top=1 - 0.45 / height, wspace=0.08
        )
        if left_out:
            fig.text(0.01, 0.15 / height, left_out, fontsize=6, ha="left", va="bottom", color="#333333")
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
        return fig


class RadarCanvas:
    """Radar of each country against the OIC and group medians, one figure reused for every country.

    Drawn on plain axes (rings and spokes as lines) rather than Matplotlib's polar projection, and the
    figure is built once per language: 57 radars then take ~0.1 s each instead of ~0.8 s with a fresh
    polar figure and a tight bounding box. The first spoke points up and the spokes run clockwise, as
    report radars are read. A missing score leaves a gap in the outline rather than a made-up value,
    and the note under the legend names the spokes without a score. A radar needs three spokes
    (`MIN_SPOKES`); with fewer the caller draws none and says so.
    """

    MIN_SPOKES = 3

    COLOURS = (COUNTRY_COLOUR, OIC_COLOUR, GROUP_COLOUR)
    RINGS = (25, 50, 75, 100)
    LABEL_WIDTH = 20  # characters per line of a spoke label; longer names wrap

    def __init__(self, axes_labels: Sequence[str]) -> None:
        if len(axes_labels) < self.MIN_SPOKES:
            raise ValueError(f"a radar needs at least {self.MIN_SPOKES} spokes, got {len(axes_labels)}")
        angles = np.pi / 2 - np.linspace(0, 2 * np.pi, len(axes_labels), endpoint=False)
        self.cos, self.sin = np.cos(angles), np.sin(angles)
        with plt.rc_context(STYLE):
            self.fig = plt.figure(figsize=(6, 6))
            ax = self.fig.add_axes((0.02, 0.14, 0.96, 0.76))
            ax.set_aspect("equal")
            ax.axis("off")
            ax.set_xlim(-1.7, 1.7)
            ax.set_ylim(-1.3, 1.3)
            for ring in self.RINGS:
                r = ring / 100
                ring_x, ring_y = self._closed(self.cos * r), self._closed(self.sin * r)
                ax.plot(ring_x, ring_y, color="#bbbbbb", linewidth=0.6)
                ax.text(0.02, r + 0.01, str(ring), fontsize=6, color="#666666")
            for c, s, label in zip(self.cos, self.sin, axes_labels, strict=True):
                ax.plot([0, c], [0, s], color="#bbbbbb", linewidth=0.6)
                ha = "center" if abs(c) < 0.1 else ("left" if c > 0 else "right")
                va = "center" if abs(s) < 0.1 else ("bottom" if s > 0 else "top")
                ax.text(c * 1.06, s * 1.06, textwrap.fill(label, self.LABEL_WIDTH), ha=ha, va=va, fontsize=8)
            self.lines = [ax.plot([], [], color=c, linewidth=1.5, label=" ")[0] for c in self.COLOURS]
            self.fills = [ax.fill([0], [0], color=c, alpha=0.08)[0] for c in self.COLOURS]
            self.legend = self.fig.legend(
                loc="lower center", bbox_to_anchor=(0.5, 0.06), ncols=3, fontsize=7, frameon=False
            )
            self.title = self.fig.suptitle(" ", y=0.97)
            self.missing = self.fig.text(0.5, 0.055, " ", fontsize=6, color="#333333", ha="center", va="top")
            self.footer = self.fig.text(0.01, 0.005, " ", fontsize=6, color="#8b0000", ha="left", va="bottom")

    @staticmethod
    def _closed(values: np.ndarray) -> np.ndarray:
        return np.append(values, values[0])

    def render(
        self, series: dict[str, Sequence[float | None]], title: str, note: str, missing: str = ""
    ) -> Figure:
        """Put one country's series on the figure (for `draw`, or a PDF page)."""
        for line, fill, text, (name, values) in zip(
            self.lines, self.fills, self.legend.get_texts(), series.items(), strict=False
        ):
            r = np.array([np.nan if v is None else v / 100 for v in values], dtype=float)
            x, y = self._closed(r * self.cos), self._closed(r * self.sin)
            line.set_data(x, y)
            fill.set_xy(np.column_stack([np.nan_to_num(x), np.nan_to_num(y)]))
            text.set_text(name)
        self.title.set_text(title)
        self.footer.set_text(note)
        self.missing.set_text(wrap_note(missing, 110) or " ")
        return self.fig

    def close(self) -> None:
        plt.close(self.fig)


def trends_figure(
    medians: pl.DataFrame,
    dimension_labels: dict[str, str],
    title: str,
    score_label: str,
    round_label: str,
    note: str,
) -> Figure:
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
        ax.set_xlabel(round_label)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_title(title)
        _footer(fig, note)
        return fig

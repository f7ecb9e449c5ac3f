"""The text of one PDF page as a single artist: every cell goes straight to the renderer.

A summary page holds ~300 table cells. As one `matplotlib.text.Text` each, a cell cost ~1.75 ms to
create, lay out and draw, of which ~0.3 ms was the artist itself (properties, transforms, a font
lookup per artist) and ~0.3 ms measuring its size again on every page (Matplotlib's metrics cache is
per renderer, i.e. per page, and the same country names, group labels and headers recur on every
ranking page). `PageText` keeps the cells as plain tuples and, at draw time, places each one where a
`Text` with the same arguments would be placed (the arithmetic of `Text._get_layout` for unrotated
text, kept in the same order so the floats are the same) and writes it with `pdf_draw` (the
operators of `renderer.draw_text`, from glyphs shaped once per string). The PDF bytes are identical
to one `Text` per cell (tests/exports/test_pdf_text.py checks this for Latin, Arabic, multi-line,
mathtext and every alignment used). CPU of the summary PDF on the sample warehouse (medians of 3):
en 5.9 -> 4.1 s, ar 8.5 -> 5.3 s; of the 57 profile PDFs 12.1 -> 5.9 s.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib as mpl
from matplotlib import colors
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.text import Text

from pipelines.exports import pdf_draw


@dataclass(frozen=True)
class Cell:
    x: float  # figure coordinates (0-1)
    y: float
    text: str
    size: float
    ha: str = "left"  # left | right | center
    va: str = "top"  # top | center | bottom | baseline
    weight: str = "normal"
    color: str = "black"


class TextCache:
    """Sizes and shaped glyphs of strings as the PDF renderer measures and shapes them, kept for a
    whole document (or every country's PDF of a task). Keyed by string, size and weight: the font
    family is the one of the rc context every PDF of `pdf.py` is drawn in (`pdf.STYLE`)."""

    def __init__(self) -> None:
        self.glyphs = pdf_draw.Glyphs()
        self.sizes: dict[tuple[str, float, str, float], tuple[float, float, float]] = {}
        self.heights: dict[tuple[float, str, float], tuple[float, float, float]] = {}
        self.props: dict[tuple[float, str], FontProperties] = {}

    def prop(self, size: float, weight: str) -> FontProperties:
        key = (size, weight)
        if key not in self.props:
            self.props[key] = FontProperties(size=size, weight=weight)
        return self.props[key]

    def size(self, renderer, text: str, size: float, weight: str, dpi: float) -> tuple[float, float, float]:
        key = (text, size, weight, dpi)
        if key not in self.sizes:
            self.sizes[key] = renderer.get_text_width_height_descent(text, self.prop(size, weight), False)
        return self.sizes[key]

    def font_height(self, renderer, size: float, weight: str, dpi: float) -> tuple[float, float, float]:
        """(ascent, descent, line gap) of the font, as `Text._get_layout` takes them."""
        key = (size, weight, dpi)
        if key not in self.heights:
            prop = self.prop(size, weight)
            ascent = descent = gap = None
            if hasattr(renderer, "_get_font_height_metrics"):  # as Text asks the PDF/PS renderers
                ascent, descent, gap = renderer._get_font_height_metrics(prop)
            if ascent is None:
                font = get_font(fontManager._find_fonts_by_props(prop))
                for table_name, gap_key, ascent_key, descent_key in (
                    ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent"),
                ):
                    table = font.get_sfnt_table(table_name)
                    if table is None:
                        continue
                    fontsize = prop.get_size_in_points()
                    units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
                    scale = 1 / units_per_em * fontsize * dpi / 72
                    gap = table[gap_key] * scale
                    ascent = table[ascent_key] * scale
                    descent = -table[descent_key] * scale
                    break
            if ascent is None:
                raise RuntimeError("font without OS/2 or hhea metrics")
            self.heights[key] = (ascent, descent, gap)
        return self.heights[key]


class PageText(Artist):
    """Cells drawn in the order they were added, as one `Text` each would draw them."""

    def __init__(self, cache: TextCache) -> None:
        super().__init__()
        self.cells: list[Cell] = []
        self.cache = cache
        self.set_zorder(3)  # a Text's: drawn after the page background

    def add(self, cell: Cell) -> None:
        self.cells.append(cell)

    def _as_text(self, cell: Cell) -> Text:
        """A cell Matplotlib may parse as mathtext (it has a `$`), as the `Text` `fig.text` makes."""
        figure = self.get_figure(root=True)
        text = Text(
            cell.x, cell.y, cell.text, ha=cell.ha, va=cell.va, fontsize=cell.size, weight=cell.weight,
            color=cell.color, transform=figure.transSubfigure,
        )  # fmt: skip
        text.set_figure(figure)
        return text

    def _lines(self, renderer, cell: Cell, dpi: float) -> list[tuple[str, float, float]]:
        """(line, x, y) offsets from the anchor, as `Text._get_layout` computes them at angle 0."""
        lines = cell.text.split("\n")
        min_ascent, min_descent, line_gap = self.cache.font_height(renderer, cell.size, cell.weight, dpi)
        if len(lines) == 1:
            line_gap = 0
        thisy = 0.0
        wads, ys = [], []
        for line in lines:
            w, h, d = self.cache.size(renderer, line, cell.size, cell.weight, dpi) if line else (0, 0, 0)
            a = h - d
            a = max(a, min_ascent) + line_gap / 2
            d = max(d, min_descent) + line_gap / 2
            baseline = a - thisy
            thisy -= a
            wads.append(w)
            ys.append(thisy)
            thisy -= d
        descent = d
        width = max(wads)
        xs = [0.0] * len(lines)
        if cell.ha == "left":
            offset_layout = list(zip(xs, ys, strict=True))
        elif cell.ha == "center":
            offset_layout = [(x + width / 2 - w / 2, y) for x, y, w in zip(xs, ys, wads, strict=True)]
        else:
            offset_layout = [(x + width - w, y) for x, y, w in zip(xs, ys, wads, strict=True)]
        xmin, xmax, ymax, ymin = 0, width, 0, ys[-1] - descent
        height = ymax - ymin
        offsetx = xmin if cell.ha == "left" else xmax if cell.ha == "right" else (xmin + xmax) / 2
        offsety = {
            "bottom": ymin,
            "top": ymax,
            "center": (ymin + ymax) / 2,
            "baseline": ymin + descent,
        }.get(cell.va, ymin + height - baseline / 2)
        return [(line, x - offsetx, y - offsety) for line, (x, y) in zip(lines, offset_layout, strict=True)]

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        figure = self.get_figure(root=True)
        transform = figure.transFigure
        dpi = figure.dpi
        antialiased = mpl.rcParams["text.antialiased"]
        flip = renderer.flipy()
        canvas_height = renderer.get_canvas_width_height()[1]
        pdf = pdf_draw.pdf_renderer(renderer)
        for cell in self.cells:
            if cell.text == "":
                continue
            if "$" in cell.text:
                self._as_text(cell).draw(renderer)
                continue
            lines = self._lines(renderer, cell, dpi)
            posx, posy = transform.transform((float(cell.x), float(cell.y)))
            gc = renderer.new_gc()
            gc.set_foreground(colors.to_rgba(cell.color), isRGBA=True)
            gc.set_alpha(None)
            gc.set_url(None)
            gc.set_antialiased(antialiased)
            gc.set_snap(None)
            gc.set_clip_path(None)
            prop = self.cache.prop(cell.size, cell.weight)
            for line, x, y in lines:
                x, y = x + posx, y + posy
                if flip:
                    y = canvas_height - y
                if pdf is not None:
                    run = self.cache.glyphs.run(pdf, line, prop, cell.weight)
                    pdf_draw.draw(pdf, gc, x, y, run, prop)
                else:
                    renderer.draw_text(gc, x, y, line, prop, 0.0, ismath=False, mtext=None)
            gc.restore()
        self.stale = False

"""One string into the content stream of Matplotlib's PDF renderer, with its shaped glyphs reused.

`RendererPdf.draw_text` shapes every string through libraqm and then loads each glyph's outline,
which the PDF never uses (Type 3 outlines are read again when the fonts are embedded): ~0.3 ms per
string plus ~15 us per glyph, the largest part of a table cell's cost. `draw` emits exactly the
operators `RendererPdf.draw_text` of Matplotlib 3.11 emits for unrotated, non-math text without a
URL, from a glyph run shaped once per string and size for the whole export (`Glyphs`). The same
bytes: tests/exports/test_pdf_text.py compares with `Text`. Another Matplotlib, another renderer or
the core-14 fonts take `renderer.draw_text` (`pdf_renderer`), and that test says when the fast path is off.
"""

from __future__ import annotations

import itertools
import math

import matplotlib as mpl
from matplotlib.backends.backend_pdf import Op, RendererPdf
from matplotlib.font_manager import FontPath, FontProperties
from matplotlib.ft2font import LoadFlags

MIRRORED_VERSION = "3.11."  # the Matplotlib whose RendererPdf.draw_text `draw` mirrors

# (font, character, glyph index, x, y, kern before) per glyph, as libraqm laid the string out
Run = list[tuple[object, str, int, float, float, float]]


def pdf_renderer(renderer) -> RendererPdf | None:
    """The PDF renderer behind `renderer` (PdfPages draws through a MixedModeRenderer) when `draw`
    may write for it, else None (then `renderer.draw_text`)."""
    target = getattr(renderer, "_renderer", renderer)
    if (
        isinstance(target, RendererPdf)
        and mpl.__version__.startswith(MIRRORED_VERSION)
        and not mpl.rcParams["pdf.use14corefonts"]
    ):
        return target
    return None


class Glyphs:
    """Shaped glyph runs by (string, size, weight): the same string at the same size shapes the same."""

    def __init__(self) -> None:
        self.runs: dict[tuple[str, float, str], Run] = {}

    def run(self, renderer: RendererPdf, text: str, prop: FontProperties, weight: str) -> Run:
        key = (text, prop.get_size_in_points(), weight)
        if key not in self.runs:
            font = renderer._get_font_ttf(prop)
            self.runs[key] = [
                (item.ft_object, item.char, item.glyph_index, item.x, item.y, item.prev_kern)
                for item in font._layout(text, LoadFlags.NO_HINTING, features=None, language=None)
            ]
        return self.runs[key]


def draw(renderer: RendererPdf, gc, x: float, y: float, run: Run, prop: FontProperties) -> None:
    """What `renderer.draw_text(gc, x, y, text, prop, 0.0)` writes, `run` being the text shaped."""
    renderer.check_gc(gc, gc._rgb)
    fontsize = prop.get_size_in_points()
    fonttype = mpl.rcParams["pdf.fonttype"]
    file = renderer.file
    chunk: list = []

    def flush() -> None:
        if not chunk:
            return
        file.output(
            [
                (-1000 * next(group) / fontsize)
                if kind is float
                else renderer._encode_glyphs(group, fonttype)
                for kind, group in itertools.groupby(chunk, type)
            ],
            Op.showkern,
        )
        chunk.clear()

    angle = math.radians(0.0)
    file.output(Op.gsave)
    file.output(math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle), x, y, Op.concat_matrix)
    previous_font = None
    previous_x = 0
    file.output(Op.begin_text)
    for font, char, glyph, glyph_x, glyph_y, kern in run:
        subset, charcode = file._character_tracker.track_glyph(font, char, glyph)
        if (font, subset) != previous_font:
            flush()
            file.output(file.fontName(FontPath(font.fname, font.face_index), subset), fontsize, Op.selectfont)
            renderer._setup_textpos(glyph_x, 0, 0, previous_x, 0, 0)
            previous_font = (font, subset)
            previous_x = glyph_x
        if glyph_y:
            flush()
            file.output(glyph_y, Op.textrise)
        if kern:
            chunk.append(kern)
        chunk.append(charcode)
        if glyph_y:
            flush()
            file.output(0, Op.textrise)
    flush()
    file.output(Op.end_text)
    file.output(Op.grestore)

"""PageText draws a PDF page's cells with the same bytes as one Matplotlib Text per cell."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from pipelines.exports import pdf, pdf_draw
from pipelines.exports.pdf_text import Cell, PageText, TextCache

# What the summary and profile PDFs draw: Latin with accents and ligatures, Arabic (right to left,
# shaped by libraqm) with numbers in left-to-right isolates, two-line headers, empty cells, every
# alignment and weight the Document uses, each drawn on two pages (the second from the caches).
CELLS = [
    Cell(0.07, 0.95, "Classement: Infrastructures numériques", 13, weight="bold"),
    Cell(0.93, 0.90, "الترتيب: البنية التحتية الرقمية", 13, ha="right", weight="bold"),
    Cell(0.07, 0.85, "Rank\ninterval", 7, weight="bold", color="#1f5f8b"),
    Cell(0.30, 0.85, "Gap to OIC\nmedian", 7, ha="right", weight="bold", color="#1f5f8b"),
    Cell(0.40, 0.80, "\u2066-0.9\u2069", 7, ha="right"),
    Cell(0.60, 0.80, "فجوة \u20660-100\u2069 ليبيا", 7, ha="left"),
    Cell(0.10, 0.75, "", 7),
    Cell(0.07, 0.65, "Cost in US$ 5 and $x^2$", 7),  # mathtext: drawn by a real Text
    Cell(0.10, 0.70, "Côte d’Ivoire · Office fﬁ", 8.5, color="#9c0006"),
    Cell(0.5, 0.02, "vetdx · version 20261202T000000Z · 1", 6.5, ha="center", va="center", color="#8b0000"),
]


def _pdf(draw) -> bytes:
    buffer = io.BytesIO()
    with plt.rc_context(pdf.STYLE), PdfPages(buffer, metadata=pdf.METADATA) as pages:
        for _ in range(2):
            fig = Figure(figsize=pdf.A4)
            draw(fig)
            pages.savefig(fig)
    return buffer.getvalue()


def _as_texts(fig: Figure) -> None:
    for c in CELLS:
        fig.text(c.x, c.y, c.text, ha=c.ha, va=c.va, fontsize=c.size, weight=c.weight, color=c.color)


def _as_page_text(cache: TextCache):
    def draw(fig: Figure) -> None:
        page = PageText(cache)
        for cell in CELLS:
            page.add(cell)
        fig.add_artist(page)

    return draw


def test_page_text_writes_the_bytes_of_one_text_per_cell():
    assert _pdf(_as_page_text(TextCache())) == _pdf(_as_texts)


def test_cells_take_the_fast_path_on_the_pinned_matplotlib(monkeypatch):
    """When Matplotlib moves past the version pdf_draw mirrors, this fails: check that the bytes
    test still passes with `MIRRORED_VERSION` set to the new version, or drop the fast path."""
    drawn = []
    original = pdf_draw.draw
    monkeypatch.setattr(pdf_draw, "draw", lambda *args: drawn.append(args) or original(*args))
    _pdf(_as_page_text(TextCache()))
    lines = sum(len(c.text.split("\n")) for c in CELLS if c.text and "$" not in c.text)
    assert len(drawn) == 2 * lines

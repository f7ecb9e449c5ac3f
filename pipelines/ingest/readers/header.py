"""Find the header inside a Grid: title rows above it, an optional second (merged) header row.

The header is the row among the first 30 whose cells match the most words of the source's header
vocabulary (at least `min_hits`). Two stacked header rows ("Students" merged over "Female | Male |
Total") are joined: the parent text is carried right across the merged span (only the first merged
cell holds text) and prefixed to each child.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from pipelines.ingest.readers.grid import ROW, Grid

_SCAN = 30
_NUMERIC = re.compile(r"^[\s\d.,%\-+\u0660-\u0669\u06f0-\u06f9]+$")


@dataclass(frozen=True)
class Table:
    sheet: str | None
    headers: list[str]  # unique header texts, in column order
    data: pl.DataFrame  # one Utf8 column per header + ROW; blank rows removed
    title: list[str]  # texts above the header (they often carry the country and year)
    header_row: int  # row number of the (last) header row
    # Header-less columns right of the last named one ("column 12"): a text row with cells there has
    # more fields than the header (ragged.py). A trailing empty header cell is one of them.
    extra: tuple[str, ...] = ()


def _non_null(row: list[str | None]) -> int:
    return sum(c is not None for c in row)


def _is_label_row(row: list[str | None]) -> bool:
    return _non_null(row) >= 2 and not any(c is not None and _NUMERIC.match(c) for c in row)


def _stacked(parent: list[str | None], child: list[str | None]) -> bool:
    """Two header rows when both are text rows and the child has cells under a merged parent."""
    return (
        _is_label_row(parent)
        and _is_label_row(child)
        and any(p is None and c is not None for p, c in zip(parent, child, strict=True))
    )


def _join(parent: list[str | None], child: list[str | None]) -> list[str | None]:
    out: list[str | None] = []
    carried: str | None = None
    for p, c in zip(parent, child, strict=True):
        if p is not None:
            carried = p
        elif c is None:
            carried = None  # the merged span ended
        head = p if p is not None else carried
        out.append(" - ".join(x for x in (head, c) if x) or None)
    return out


def _unique(headers: list[str | None]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        name = h if h is not None else f"column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def locate_header(grid: Grid, is_header_word: Callable[[str], bool], min_hits: int = 2) -> Table | None:
    rows = grid.head_rows(_SCAN)
    hits = [sum(1 for c in row if c is not None and is_header_word(c)) for row in rows]
    if not hits or max(hits) < min_hits:
        return None
    top = hits.index(max(hits))
    first, last = top, top
    if top + 1 < len(rows) and _stacked(rows[top], rows[top + 1]):
        last = top + 1
    elif top > 0 and _stacked(rows[top - 1], rows[top]):
        first = top - 1
    headers = rows[first] if first == last else _join(rows[first], rows[last])
    names = _unique(headers)
    cells = [c for c in grid.cells.columns if c != ROW]
    body = grid.cells.slice(last + 1)
    body = body.filter(~pl.all_horizontal(pl.col(c).is_null() for c in cells))
    data = body.rename(dict(zip(cells, names, strict=True)))
    title = [c for row in rows[:first] for c in row if c is not None]
    named = max((i + 1 for i, h in enumerate(headers) if h is not None), default=0)
    return Table(grid.sheet, names, data, title, int(grid.cells[ROW][last]), tuple(names[named:]))

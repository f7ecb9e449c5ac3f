"""Rows as text for the terminal: an aligned table, CSV, JSON or a Markdown table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from pipelines.analyst.arguments import FORMATS


def format_rows(columns: list[str], rows: Sequence[tuple], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            [dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False, default=str, indent=1
        )
    if fmt == "csv":
        return csv_text(columns, rows).rstrip("\n")
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    if fmt == "markdown":
        return markdown(columns, cells)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    line = "-+-".join("-" * w for w in widths)
    out = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)), line]
    out += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def csv_text(columns: list[str], rows: Sequence[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def markdown(columns: list[str], cells: list[list[str]]) -> str:
    def row(values: Sequence[str]) -> str:
        # A pipe inside a cell would end it; a newline would end the table row.
        return "| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in values) + " |"

    return "\n".join([row(columns), row(["---"] * len(columns)), *(row(r) for r in cells)])

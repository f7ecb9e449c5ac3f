"""Reference sets the suites check against: country codes, codebook units, catalogue codes.

Marts are checked after dbt has loaded the seeds into schema `reference`, so that is read first; raw
tables are checked right after ingest, possibly before any seed is loaded, so each set falls back to
the CSV of the same name in the (effective) seeds folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

PERCENT_UNITS = ("pct", "percent", "%")  # spellings a catalogue or codebook uses for 0-100 values


@dataclass(frozen=True)
class Reference:
    countries: frozenset[str]
    current_year: int
    percent_questions: frozenset[str] = frozenset()  # survey codebook, unit percent
    count_questions: frozenset[str] = frozenset()  # survey codebook, unit count
    question_codes: frozenset[str] = frozenset()
    item_codes: frozenset[str] = frozenset()  # equipment taxonomy
    indicator_codes: frozenset[str] = frozenset()  # catalogue codes and their official source codes
    percent_indicators: frozenset[str] = frozenset()


def load_reference(
    con: duckdb.DuckDBPyConnection, seeds_dir: Path, current_year: int | None = None
) -> Reference:
    countries = _seed(con, seeds_dir, "countries")
    if countries is None:
        raise FileNotFoundError(f"no reference.countries table and no countries.csv in {seeds_dir}")
    codebook = _seed(con, seeds_dir, "survey_codebook") or []
    taxonomy = _seed(con, seeds_dir, "equipment_taxonomy") or []
    catalogue = _seed(con, seeds_dir, "indicator_catalogue") or []
    percent_nodes = [r for r in catalogue if (r.get("unit") or "").lower() in PERCENT_UNITS]
    return Reference(
        countries=frozenset(r["iso3"] for r in countries if r.get("iso3")),
        current_year=current_year or dt.date.today().year,
        percent_questions=_codes(r for r in codebook if (r.get("unit") or "").lower() in PERCENT_UNITS),
        count_questions=_codes(r for r in codebook if (r.get("unit") or "").lower() == "count"),
        question_codes=frozenset(r["question_code"] for r in codebook if r.get("question_code")),
        item_codes=frozenset(r["item_code"] for r in taxonomy if r.get("item_code")),
        indicator_codes=_codes(catalogue),
        percent_indicators=_codes(percent_nodes),
    )


def _codes(rows: Iterable[dict]) -> frozenset[str]:
    """Codebook `question_code`, or catalogue `code` plus its `source_code` (files may use either)."""
    out: set[str] = set()
    for row in rows:
        for key in ("question_code", "code", "source_code"):
            if row.get(key):
                out.add(str(row[key]))
    return frozenset(out)


def _seed(con: duckdb.DuckDBPyConnection, seeds_dir: Path, name: str) -> list[dict] | None:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'reference' AND table_name = ?",
        [name],
    ).fetchone()[0]
    if exists:
        relation = con.sql(f"SELECT * FROM reference.{name}")
    elif (seeds_dir / f"{name}.csv").exists():
        relation = con.read_csv(str(seeds_dir / f"{name}.csv"), header=True, all_varchar=True)
    else:
        return None
    columns = relation.columns
    return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]

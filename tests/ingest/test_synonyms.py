"""The header and value spellings are data (pipelines/ingest/vocab/synonyms.csv): a new spelling is
one row there, recognised without a code change; the file stays unambiguous."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.parse import parse_file
from pipelines.ingest.rows import reasons as r
from pipelines.ingest.rows.model import FileRejected
from pipelines.ingest.sources import institutions, inventory, official
from pipelines.ingest.vocab import synonyms as s
from pipelines.ingest.vocab.text import fold

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "pipelines" / "ingest" / "vocab" / s.DATA_FILE
# A Spanish-language tidy file: none of its headers but "Indicator" is a known spelling today.
SPANISH = (
    "Código del país,Año,Indicator,Valor\n"
    "JOR,2020,wb_electricity_access_pct,99.5\n"
    "EGY,2021,wb_electricity_access_pct,100\n"
)
NEW_ROWS = (
    "official.columns,country_code,código del país\nofficial.columns,year,año\nofficial.columns,value,valor\n"
)


def test_the_spanish_headers_are_unknown_before_the_data_change(tmp_path: Path, ctx: ParseContext) -> None:
    path = tmp_path / "official" / "es.csv"
    path.parent.mkdir()
    path.write_text(SPANISH, encoding="utf-8")
    with pytest.raises(FileRejected) as exc:
        parse_file(path, "official", ctx, "official/es.csv")
    assert exc.value.reason_code == r.NO_HEADER_FOUND


def test_a_new_spelling_is_a_data_change(tmp_path: Path) -> None:
    """Three rows appended to a copy of the package's synonyms.csv, the code untouched: the file lands."""
    copy = tmp_path / "code"
    shutil.copytree(ROOT / "pipelines", copy / "pipelines", ignore=shutil.ignore_patterns("__pycache__"))
    data = copy / "pipelines" / "ingest" / "vocab" / s.DATA_FILE
    data.write_text(data.read_text(encoding="utf-8") + NEW_ROWS, encoding="utf-8")
    assert not any(
        (copy / p.relative_to(ROOT)).read_bytes() != p.read_bytes()
        for p in (ROOT / "pipelines").rglob("*.py")
        if "__pycache__" not in p.parts
    ), "only the data file may differ"
    source = tmp_path / "es.csv"
    source.write_text(SPANISH, encoding="utf-8")
    code = f"""
import json
from pathlib import Path
import pipelines.ingest.parse as parse
from pipelines.ingest.context import ParseContext
assert parse.__file__.startswith({str(copy)!r}), parse.__file__
ctx = ParseContext.from_seeds(Path({str(ROOT / "data" / "seeds")!r}), b"k")
(table,) = parse.parse_file(Path({str(source)!r}), "official", ctx, "official/es.csv").tables
print(json.dumps([table.rows.select("iso3", "year", "indicator", "value").rows(), table.rejects.height]))
"""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows, rejected = json.loads(done.stdout.strip().splitlines()[-1])
    assert rows == [
        ["JOR", 2020, "wb_electricity_access_pct", 99.5],
        ["EGY", 2021, "wb_electricity_access_pct", 100.0],
    ]
    assert rejected == 0


def test_every_vocabulary_read_by_a_parser_is_in_the_file() -> None:
    names = set(s.parse_rows(DATA.read_text(encoding="utf-8")))
    assert names == {
        "official.columns",
        "official.other_headers",
        "institutions.dimensions",
        "institutions.measures",
        "institutions.sexes",
        "institutions.ownership",
        "institutions.level_totals",
        "inventory.common",
        "inventory.equipment",
        "inventory.connectivity",
        "inventory.connectivity_types",
        "yes_no",
        "yes_no.answer",
        "yes_no.presence",
        "yes_no.option",
    }
    # Loaded once: what the parsers hold is the file's content, in the file's order.
    assert s.synonyms("official.columns") == official.COLUMNS
    assert list(official.COLUMNS) == [
        "country_code",
        "country",
        "year",
        "indicator",
        "value",
        "source",
        "note",
    ]
    assert official.COLUMNS["indicator"][:2] == ("series code", "indicator code")  # codes rank first


@pytest.mark.parametrize(
    "table",
    [
        official.COLUMNS,
        institutions.DIMENSIONS,
        institutions._MEASURES,
        institutions._SEXES,
        institutions._OWNERSHIP,
        inventory.EQUIPMENT,
        inventory.CONNECTIVITY,
        s.synonyms("inventory.connectivity_types"),
        *(
            # each use of the yes/no words: the common words and that use's extras together
            {
                c: s.synonyms("yes_no").get(c, ()) + s.synonyms(f"yes_no.{use}").get(c, ())
                for c in ("yes", "no")
            }
            for use in ("answer", "presence")
        ),
        s.synonyms("yes_no.option"),
    ],
)
def test_no_spelling_means_two_things_or_repeats(table: dict[str, tuple[str, ...]]) -> None:
    """A spelling naming two canonicals would be settled silently by row order; a row folding to an
    earlier one of the same canonical is dead weight (fold already ignores case and `_`)."""
    seen: dict[str, str] = {}
    for canonical, spellings in table.items():
        for spelling in spellings:
            key = fold(spelling)
            assert key not in seen, f"{spelling!r} of {canonical} already names {seen[key]}"
            seen[key] = canonical


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("vocabulary,canonical\nofficial.columns,year\n", "the header must be"),
        ("vocabulary,canonical,spelling\nofficial.columns,year\n", "line 2: needs exactly"),
        ("vocabulary,canonical,spelling\nofficial.columns,year,annee,extra\n", "line 2: needs exactly"),
    ],
)
def test_a_malformed_row_is_refused_naming_its_line(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        s.parse_rows(text)


def test_map_headers_and_lookup_read_any_vocabulary() -> None:
    table = {"value": ("obs value", "valeur"), "note": ("notes",)}
    assert s.map_headers(["Valeur", "OBS_VALUE", "Notes"], table) == {"value": "OBS_VALUE", "note": "Notes"}
    assert s.lookup(s.synonyms("inventory.connectivity_types"))[fold("Fibre optique")] == "fibre"

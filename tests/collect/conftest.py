"""Fixtures for the collection tests: the repository's seeds, the form built from them, the loader."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pytest

from pipelines.collect.xlsform import XLSForm, build_form
from pipelines.ingest.context import ParseContext
from pipelines.ingest.landing.loader import ingest_source
from pipelines.ingest.landing.parallel import FileParser
from pipelines.seeds import SeedRows, read_seeds

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
PII_KEY = b"test-key-not-secret"


@pytest.fixture(scope="session")
def seeds() -> Mapping[str, SeedRows]:
    return read_seeds(SEEDS)


@pytest.fixture(scope="session")
def form(seeds: Mapping[str, SeedRows]) -> XLSForm:
    return build_form(seeds)


def land(raw: Path, warehouse: Path, ctx: ParseContext) -> duckdb.DuckDBPyConnection:
    """Ingest every survey file under raw/survey with the refresh's parser into a new DuckDB file."""
    con = duckdb.connect(str(warehouse))
    ingest_source(con, raw, "survey", FileParser(ctx), workers=0)
    return con

"""Fixtures for the parser tests: the project's own seeds, a fixed PII key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest.context import ParseContext

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
PII_KEY = b"test-key-not-secret"


@pytest.fixture(scope="session")
def ctx() -> ParseContext:
    return ParseContext.from_seeds(SEEDS, PII_KEY)

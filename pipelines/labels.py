"""The label every table, export and chart built from synthetic sample data carries."""

from __future__ import annotations

from pathlib import Path

SAMPLE_MARKER = "SYNTHETIC_SAMPLE"
SAMPLE_LABEL = "SYNTHETIC SAMPLE DATA - not official statistics"


def data_label_for(raw_dir: Path) -> str | None:
    """A raw folder holding the generator's marker file is synthetic sample data, all of it."""
    return SAMPLE_LABEL if (raw_dir / SAMPLE_MARKER).exists() else None

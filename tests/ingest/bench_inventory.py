"""Time the inventory path on a large generated CSV: `python -m tests.ingest.bench_inventory [rows]`.

Not a pytest test (it takes seconds, not milliseconds); the vectorised-path budget is 10M rows in well
under a minute on 2 cores.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.ingest.context import ParseContext
from pipelines.ingest.parse import parse_file
from tests.ingest.conftest import PII_KEY, SEEDS

ITEMS = ["laptop", "desktop_pc", "Ordinateur portable", "حاسوب مكتبي", "projector", "router", "3D printer"]


def write(path: Path, rows: int) -> None:
    rng = np.random.default_rng(7)
    qty = rng.integers(0, 50, rows)
    working = np.minimum(qty, rng.integers(0, 50, rows))
    frame = pl.DataFrame(
        {
            "institution_id": pl.Series(rng.integers(0, rows // 10 + 1, rows))
            .cast(pl.Utf8)
            .str.pad_start(7, "0"),
            "institution_name": "VET school",
            "item": pl.Series(ITEMS).gather(rng.integers(0, len(ITEMS), rows)),
            "quantity": qty.astype(str),
            "in_working_order": working.astype(str),
            "year_acquired": rng.integers(2000, 2026, rows),
            "funding_source": pl.Series(["government", "donors", "own"]).gather(rng.integers(0, 3, rows)),
        }
    )
    frame.write_csv(path)


def main(rows: int) -> None:
    ctx = ParseContext.from_seeds(SEEDS, PII_KEY)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "AZE_2025_equipment.csv"
        write(path, rows)
        size = path.stat().st_size / 1e6
        start = time.perf_counter()
        parsed = parse_file(path, "inventory", ctx, "inventory/AZE_2025_equipment.csv")
        elapsed = time.perf_counter() - start
    table = parsed.tables[0]
    print(
        f"{rows:,} rows ({size:.0f} MB): {elapsed:.2f}s, landed {table.rows.height:,}, "
        f"rejected {table.rejects.height:,}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

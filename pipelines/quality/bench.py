"""What a GX suite costs at scale: wall time and peak resident memory of one validation.

`validate_cost(con, "equipment_inventory")` is what `vetdx bench` calls; run this module directly to
measure on generated rows (`python -m pipelines.quality.bench --rows 10000000`). The data lives in a
throw-away DuckDB file and is never committed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from pipelines.bench.process import tree_rss_bytes
from pipelines.ingest.schemas import RAW_TABLES
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import load_reference
from pipelines.quality.runner import DEFAULT_CHUNK_ROWS, validate
from pipelines.seeds import read_seeds
from pipelines.settings import DEFAULT_SEEDS_DIR


def validate_cost(
    con: duckdb.DuckDBPyConnection,
    table: str,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    seeds_dir: Path = DEFAULT_SEEDS_DIR,
    helpers: int | None = None,
    by_value: bool = True,
) -> dict:
    """Validate raw.<table> once and report rows, seconds, chunks and peak RSS (MiB) during the run:
    of this process (`peak_rss_mib`) and of it with its GX helper processes (`peak_tree_rss_mib`)."""
    suite = raw_suite(table, load_reference(read_seeds(seeds_dir)))
    with _PeakRss() as rss:
        started = time.perf_counter()
        report = validate(con, suite, chunk_rows=chunk_rows, helpers=helpers, by_value=by_value)
        seconds = time.perf_counter() - started
    return {
        "table": f"raw.{table}",
        "rows": report.row_count,
        "chunks": report.chunks,
        "chunk_rows": chunk_rows,
        "helpers": helpers,  # None: the runner's default
        "by_value": by_value,
        "seconds": round(seconds, 2),
        "rows_per_second": round(report.row_count / seconds) if seconds else None,
        "rss_before_mib": rss.before_mib,
        "peak_rss_mib": rss.peak_mib,
        "peak_tree_rss_mib": rss.peak_tree_mib,
        "failed_expectations": report.counts()["failed"],
    }


def generate_equipment_inventory(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    """raw.equipment_inventory-shaped rows: up to 20 countries (of table `reference_countries`), two items per
    institution, one batch per country."""
    table = RAW_TABLES["equipment_inventory"]
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    columns = ", ".join(f'"{c}" {t}' for c, t in table.all_columns.items())
    con.execute(f"CREATE OR REPLACE TABLE raw.equipment_inventory ({columns})")
    con.execute(
        """
        INSERT INTO raw.equipment_inventory
        WITH c AS (SELECT list(iso3 ORDER BY iso3)[:20] AS codes FROM reference_countries)
        , n AS (SELECT len(codes) AS k FROM c)
        SELECT codes[1 + i % k], 2024, 'inst-' || (i // k // 2), 'Institution', 'laptop', 'computing',
               10 + i % 7, 5 + i % 5, 2000 + (i // k) % 2, 'fund-' || (i // 100000),
               'inventory/' || codes[1 + i % k] || '.xlsx', 'sha', 'Sheet1', (i // k + 2)::INTEGER,
               'batch-' || codes[1 + i % k], TIMESTAMP '2025-01-01'
        FROM range(?) AS r(i), c, n
        """,
        [rows],
    )


class _PeakRss:
    """Samples this process's resident set, and its process tree's, every 50 ms: ru_maxrss is a
    lifetime peak, not per run, and blind to the helper processes."""

    def __enter__(self) -> _PeakRss:
        self.before_mib = self.peak_mib = _rss_mib()
        self.peak_tree_mib = _tree_rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self._take()

    def _take(self) -> None:
        self.peak_mib = max(self.peak_mib, _rss_mib())
        self.peak_tree_mib = max(self.peak_tree_mib, _tree_rss_mib())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._take()


def _rss_mib() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return round(pages * resource.getpagesize() / 2**20, 1)
    except OSError:  # not Linux: fall back to the lifetime peak (KiB on Linux/BSD)
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _tree_rss_mib() -> float:
    try:
        return round(tree_rss_bytes(os.getpid()) / 2**20, 1)
    except OSError:  # not Linux
        return _rss_mib()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    parser.add_argument("--helpers", type=int, default=None, help="GX helper processes (default: runner's)")
    parser.add_argument(
        "--chunked", action="store_true", help="stream every row through GX (no by-value judging)"
    )
    parser.add_argument(
        "--db", type=Path, help="an existing warehouse file (read-only) instead of generated rows"
    )
    args = parser.parse_args()
    if args.db:
        with duckdb.connect(str(args.db), read_only=True) as con:
            cost = validate_cost(
                con, "equipment_inventory", args.chunk_rows, helpers=args.helpers, by_value=not args.chunked
            )
        print(json.dumps(cost, indent=1))
        return
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(str(Path(folder) / "bench.duckdb"))
        countries = DEFAULT_SEEDS_DIR / "countries.csv"
        con.execute(
            "CREATE TABLE reference_countries AS SELECT * FROM read_csv(?, all_varchar = true)",
            [str(countries)],
        )
        generate_equipment_inventory(con, args.rows)
        cost = validate_cost(
            con, "equipment_inventory", args.chunk_rows, helpers=args.helpers, by_value=not args.chunked
        )
        print(json.dumps(cost, indent=1))
        con.close()


if __name__ == "__main__":
    main()

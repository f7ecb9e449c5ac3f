"""Latency of the analysts' example queries (queries/*.sql) on the published warehouse.

One read-only connection, as analysts open it; each query runs once to warm DuckDB's buffer pool and
the page cache, then `runs` times; each timing includes fetching every row to Python.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import numpy as np

from pipelines.settings import REPO_ROOT

QUERIES_DIR = REPO_ROOT / "queries"


def query_latency(warehouse: Path, runs: int = 20, warm_up: int = 1) -> dict:
    per_query: dict[str, dict] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for path in sorted(QUERIES_DIR.glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            try:
                for _ in range(warm_up):
                    con.execute(sql).fetchall()
                seconds = []
                for _ in range(runs):
                    started = time.perf_counter()
                    rows = con.execute(sql).fetchall()
                    seconds.append(time.perf_counter() - started)
            except duckdb.Error as exc:
                per_query[path.stem] = {"error": str(exc).splitlines()[0][:300]}
                continue
            ms = np.array(seconds) * 1000
            per_query[path.stem] = {
                "rows": len(rows),
                "p50_ms": round(float(np.percentile(ms, 50)), 2),
                "p95_ms": round(float(np.percentile(ms, 95)), 2),
                "max_ms": round(float(ms.max()), 2),
            }
    return {"runs": runs, "warm_up": warm_up, "connection": "read_only", "per_query": per_query}

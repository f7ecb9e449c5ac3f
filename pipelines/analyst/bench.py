"""How much `vetdx sql` costs over plain DuckDB for the same small query: whole processes, A B A B.

An analyst's query on the published warehouse takes milliseconds; what they wait for is the process
(Python start, imports, opening the file). So both sides are timed as whole processes, alternately so
a drifting machine affects both, and the ratio is taken pair by pair; the median ratio is the figure
(issue 14: at most 1.5). CPU time (user + sys of the child) is reported beside wall time because it
is steadier on a shared machine.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERY = "select iso3, name_en from marts.countries order by iso3 limit 5"
_PLAIN = (
    "import duckdb, sys\n"
    "con = duckdb.connect(sys.argv[1], read_only=True)\n"
    "rows = con.sql(sys.argv[2]).fetchall()\n"
    "print(len(rows))\n"
)


def commands(warehouse: Path, query: str = QUERY) -> tuple[list[str], list[str]]:
    vetdx = Path(sys.executable).with_name("vetdx")
    return (
        [str(vetdx), "sql", query, "--warehouse", str(warehouse), "--format", "csv"],
        [sys.executable, "-c", _PLAIN, str(warehouse), query],
    )


def _timed(argv: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {done.returncode}: {done.stderr.strip()[:300]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def sql_overhead(warehouse: Path, runs: int = 10, query: str = QUERY) -> dict:
    """Medians of `vetdx sql` and plain DuckDB, and of their pairwise ratios, after one warm-up each."""
    vetdx, plain = commands(warehouse, query)
    _timed(vetdx), _timed(plain)
    pairs = [(_timed(vetdx), _timed(plain)) for _ in range(runs)]

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 4)

    return {
        "query": query,
        "runs": runs,
        "vetdx_sql_wall_s": median([a[0] for a, _ in pairs]),
        "duckdb_wall_s": median([b[0] for _, b in pairs]),
        "ratio_wall": median([a[0] / b[0] for a, b in pairs]),
        "vetdx_sql_cpu_s": median([a[1] for a, _ in pairs]),
        "duckdb_cpu_s": median([b[1] for _, b in pairs]),
        "ratio_cpu": median([a[1] / b[1] for a, b in pairs if b[1] > 0]),
    }

"""Ingest, like with like: vetdx's real ingest path against DuckDB's own reader and naive pandas.

Every contender starts from a fresh DuckDB file and is timed from `connect` to `close` (so the
final checkpoint, the data reaching disk, is in every figure), on the same files with a warm page
cache. vetdx's path is the refresh's: ParseContext.from_seeds + parse_file + loader.ingest_source
(sha256, sniffing, decoding, header location, validation, quarantine, lineage, audit row).

- CSV equipment files: vetdx vs `CREATE TABLE ... AS SELECT * FROM read_csv([files])` (DuckDB sniffs
  each file's dialect: comma and French semicolon files mix) vs the same reader one file per
  statement (`INSERT INTO ... SELECT * FROM read_csv(file)`, each its own transaction: the
  granularity vetdx commits at, one file = one atomic load) vs pandas `read_csv` per file (C
  engine, delimiter from the header line) + DuckDB `INSERT ... SELECT * FROM <DataFrame>`.
- XLSX inventories (both sheets): vetdx vs calamine (fastexcel) sheets to Arrow + DuckDB insert, the
  fastest reader a Python stack has (DuckDB's excel extension is not bundled: it downloads), vs
  pandas `read_excel` (openpyxl, its default engine).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.ingest.landing.loader import ingest_source


def equipment_csvs(raw: Path) -> list[Path]:
    return sorted(p for p in (raw / "inventory").glob("*.csv") if "equipment" in p.name.lower())


def inventory_xlsx(raw: Path) -> list[Path]:
    return sorted((raw / "inventory").glob("*.xlsx"))


def stage(files: list[Path], raw: Path, target: Path) -> Path:
    """A raw folder holding only `files` (symlinks, same relative paths, so same display names)."""
    for path in files:
        link = target / path.relative_to(raw)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path.resolve())
    return target


def warm_cache(files: list[Path]) -> int:
    """Read every file once so no contender pays for the first read from disk; returns bytes."""
    total = 0
    for path in files:
        with path.open("rb") as handle:
            while block := handle.read(1 << 24):
                total += len(block)
    return total


def _timed(db: Path, body: Callable[[duckdb.DuckDBPyConnection], dict], keep: bool = False) -> dict:
    """Run `body` on a fresh DuckDB file at `db`, timed from connect to close; `keep` keeps the file."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute("SET enable_progress_bar = false")  # it would print over the benchmark's output
    try:
        result = body(con)
    finally:
        con.close()
    result["seconds"] = round(time.perf_counter() - started, 3)
    if not keep:
        db.unlink(missing_ok=True)
    return result


def repeated(times: int, run: Callable[[], dict]) -> dict:
    """Run `times` times; report the median run (and every run's seconds)."""
    runs = [run() for _ in range(times)]
    median = statistics.median_low(r["seconds"] for r in runs)
    best = next(r for r in runs if r["seconds"] == median)
    return {**best, "runs_seconds": [r["seconds"] for r in runs]}


def vetdx_ingest(raw: Path, sources: tuple[str, ...], db: Path, parse: Callable, keep: bool = False) -> dict:
    """vetdx's ingest of `sources` under `raw` into a fresh file; with `keep` the file stays for reuse."""

    def body(con: duckdb.DuckDBPyConnection) -> dict:
        out: dict[str, dict] = {}
        for source in sources:
            started = time.perf_counter()
            summary = ingest_source(con, raw, source, parse)
            out[source] = {
                "seconds": round(time.perf_counter() - started, 3),
                "files": len(summary.files),
                "files_rejected": summary.count("rejected"),
                "rows_landed": summary.rows_landed,
                "rows_quarantined": summary.rows_quarantined,
            }
        return {
            "rows": sum(s["rows_landed"] + s["rows_quarantined"] for s in out.values()),
            "rows_quarantined": sum(s["rows_quarantined"] for s in out.values()),
            "files_rejected": sum(s["files_rejected"] for s in out.values()),
            "per_source": out,
        }

    return _timed(db, body, keep)


def duckdb_native_csv(files: list[Path], db: Path) -> dict:
    def body(con: duckdb.DuckDBPyConnection) -> dict:
        con.execute("CREATE TABLE equipment AS SELECT * FROM read_csv(?)", [[str(f) for f in files]])
        return {"rows": con.execute("SELECT count(*) FROM equipment").fetchone()[0]}

    return _timed(db, body)


def duckdb_per_file_csv(files: list[Path], db: Path) -> dict:
    def body(con: duckdb.DuckDBPyConnection) -> dict:
        con.execute("CREATE TABLE equipment AS SELECT * FROM read_csv(?) LIMIT 0", [str(files[0])])
        for path in files:
            con.execute("INSERT INTO equipment BY NAME SELECT * FROM read_csv(?)", [str(path)])
        return {"rows": con.execute("SELECT count(*) FROM equipment").fetchone()[0]}

    return _timed(db, body)


def pandas_csv(files: list[Path], db: Path) -> dict:
    import pandas as pd

    def body(con: duckdb.DuckDBPyConnection) -> dict:
        rows = 0
        for i, path in enumerate(files):
            with path.open(encoding="utf-8", errors="replace") as handle:
                separator = ";" if ";" in handle.readline() else ","
            frame = pd.read_csv(path, sep=separator)
            con.register("frame", frame)
            con.execute(
                "CREATE TABLE equipment AS SELECT * FROM frame"
                if i == 0
                else "INSERT INTO equipment BY NAME SELECT * FROM frame"
            )
            con.unregister("frame")
            rows += len(frame)
        return {"rows": rows}

    return _timed(db, body)


def _insert_sheets(con: duckdb.DuckDBPyConnection, sheets: dict[str, object], created: set[str]) -> int:
    """Append each sheet (Arrow table or DataFrame) to a table named after it; returns rows.

    Cells go in as text: readers type each sheet on its own ("oui" in one file, TRUE in the next),
    and one table cannot take both; vetdx's reader also reads every cell as text.
    """
    rows = 0
    for name, data in sheets.items():
        table = "sheet_" + "".join(c if c.isalnum() else "_" for c in name.lower())
        con.register("sheet", data)
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT COLUMNS(*)::VARCHAR FROM sheet"
            if table in created
            else f"CREATE TABLE {table} AS SELECT COLUMNS(*)::VARCHAR FROM sheet"
        )
        con.unregister("sheet")
        created.add(table)
        rows += len(data)
    return rows


def calamine_xlsx(files: list[Path], db: Path) -> dict:
    import fastexcel

    def body(con: duckdb.DuckDBPyConnection) -> dict:
        created: set[str] = set()
        rows = 0
        for path in files:
            reader = fastexcel.read_excel(str(path))
            sheets = {s: reader.load_sheet(s).to_arrow() for s in reader.sheet_names}
            rows += _insert_sheets(con, sheets, created)
        return {"rows": rows}

    return _timed(db, body)


def pandas_xlsx(files: list[Path], db: Path) -> dict:
    import pandas as pd

    def body(con: duckdb.DuckDBPyConnection) -> dict:
        created: set[str] = set()
        rows = sum(_insert_sheets(con, pd.read_excel(path, sheet_name=None), created) for path in files)
        return {"rows": rows}

    return _timed(db, body)

"""`vetdx bench`: every figure of issue 7 on the same files in one run, printed and written as JSON.

Order: generate (unless --skip-generate) -> ingest comparisons -> validation cost on the ingested
10M-row table -> full `vetdx refresh` (child process) -> dbt timings of that refresh -> query
latency on its published warehouse -> refresh after one equipment CSV changed. Scratch files
(DuckDB files, warehouse, exports) live in a temporary folder removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines import settings as cfg
from pipelines.analyst.bench import sql_overhead
from pipelines.bench import ingest
from pipelines.bench.change import changed_quantities
from pipelines.bench.machine import machine_info
from pipelines.bench.queries import query_latency
from pipelines.bench.refresh import dbt_timings, run_refresh_process
from pipelines.bench.report import render, verdicts
from pipelines.ingest.schemas import SOURCES

BENCH_DIR = cfg.REPO_ROOT / "bench_data"  # git-ignored


@dataclass(frozen=True)
class BenchOptions:
    scale: str
    data: Path
    out: Path
    generate: bool
    seed: int
    repeat: int  # runs per ingest contender; the median is reported
    query_runs: int
    refresh_timeout: float


def _parser_for(raw: Path, work: Path) -> Callable:
    """The ingest assets' parse function (pipelines/defs/assets/ingest.py), with the same seeds."""
    from pipelines.ingest.context import ParseContext
    from pipelines.ingest.landing.parallel import FileParser
    from pipelines.ingest.privacy.key import resolve_key
    from pipelines.seeds import compose_seeds

    settings = cfg.Settings.from_env()  # `vetdx bench` is an edge, like `vetdx refresh`
    seeds = work / "seeds"
    compose_seeds(cfg.DEFAULT_SEEDS_DIR, settings.seeds_dir, seeds)
    key = resolve_key(settings.pii_key, raw, settings.warehouse)
    return FileParser(ParseContext.from_seeds(seeds, key.key))


def _dataset(raw: Path) -> dict:
    files = [p for source in SOURCES for p in sorted((raw / source).rglob("*")) if p.is_file()]
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "files_per_source": {s: sum(1 for p in files if p.relative_to(raw).parts[0] == s) for s in SOURCES},
        "equipment_csv_files": len(ingest.equipment_csvs(raw)),
        "inventory_xlsx_files": len(ingest.inventory_xlsx(raw)),
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def _compare_ingest(raw: Path, work: Path, parse: Callable, repeat: int) -> dict:
    csvs, workbooks = ingest.equipment_csvs(raw), ingest.inventory_xlsx(raw)
    db = work / "contender.duckdb"
    out: dict[str, dict] = {}
    if csvs:
        staged = ingest.stage(csvs, raw, work / "staged_csv")
        duck = ingest.repeated(repeat, lambda: ingest.duckdb_native_csv(csvs, db))
        per_file = ingest.repeated(repeat, lambda: ingest.duckdb_per_file_csv(csvs, db))
        vetdx = ingest.repeated(repeat, lambda: ingest.vetdx_ingest(staged, ("inventory",), db, parse))
        pandas = ingest.repeated(repeat, lambda: ingest.pandas_csv(csvs, db))
        out["equipment_csv"] = {
            "files": len(csvs),
            "bytes": sum(p.stat().st_size for p in csvs),
            "rows": duck["rows"],
            "rows_match": duck["rows"] == per_file["rows"] == vetdx["rows"] == pandas["rows"],
            "vetdx_rows_quarantined": vetdx["rows_quarantined"],
            "vetdx_seconds": vetdx["seconds"],
            "duckdb_seconds": duck["seconds"],
            "duckdb_per_file_seconds": per_file["seconds"],
            "pandas_seconds": pandas["seconds"],
            "runs_seconds": {
                "vetdx": vetdx["runs_seconds"],
                "duckdb": duck["runs_seconds"],
                "duckdb_per_file": per_file["runs_seconds"],
                "pandas": pandas["runs_seconds"],
            },
            "ratio_vetdx_to_duckdb": _ratio(vetdx["seconds"], duck["seconds"]),
            "ratio_vetdx_to_duckdb_per_file": _ratio(vetdx["seconds"], per_file["seconds"]),
            "ratio_vetdx_to_pandas": _ratio(vetdx["seconds"], pandas["seconds"]),
            "vetdx_rows_per_second": round(vetdx["rows"] / vetdx["seconds"]),
            "duckdb_method": "CREATE TABLE equipment AS SELECT * FROM read_csv([every file])",
            "duckdb_per_file_method": "INSERT INTO equipment SELECT * FROM read_csv(file), one per file",
            "pandas_method": "pandas.read_csv per file (C engine) + DuckDB INSERT SELECT * FROM <DataFrame>",
        }
    else:
        out["equipment_csv"] = {"files": 0, "error": "no inventory/*equipment*.csv in the data"}
    if workbooks:
        staged = ingest.stage(workbooks, raw, work / "staged_xlsx")
        vetdx = ingest.repeated(repeat, lambda: ingest.vetdx_ingest(staged, ("inventory",), db, parse))
        calamine = ingest.repeated(repeat, lambda: ingest.calamine_xlsx(workbooks, db))
        pandas = ingest.repeated(repeat, lambda: ingest.pandas_xlsx(workbooks, db))
        out["xlsx_inventory"] = {
            "files": len(workbooks),
            "bytes": sum(p.stat().st_size for p in workbooks),
            "rows": calamine["rows"],
            "rows_match": calamine["rows"] == vetdx["rows"] == pandas["rows"],
            "vetdx_seconds": vetdx["seconds"],
            "calamine_seconds": calamine["seconds"],
            "pandas_seconds": pandas["seconds"],
            "ratio_vetdx_to_calamine": _ratio(vetdx["seconds"], calamine["seconds"]),
            "ratio_vetdx_to_pandas": _ratio(vetdx["seconds"], pandas["seconds"]),
            "calamine_method": "fastexcel sheets -> Arrow -> DuckDB insert (both sheets)",
            "pandas_method": "pandas.read_excel(sheet_name=None), openpyxl + DuckDB insert (both sheets)",
        }
    else:
        out["xlsx_inventory"] = {"files": 0, "error": "no inventory/*.xlsx in the data"}
    return out


def _validation(db: Path) -> dict:
    from pipelines.quality.bench import validate_cost

    with duckdb.connect(str(db)) as con:
        return validate_cost(con, "equipment_inventory")


def _incremental(raw: Path, work: Path, full: dict, timeout: float) -> dict:
    csvs = ingest.equipment_csvs(raw)
    if not full.get("success") or not csvs:
        return {"error": "needs a successful full refresh and an equipment CSV"}
    # The largest file: the worst case for a one-country change (it is parsed again whole).
    target = max(csvs, key=lambda p: p.stat().st_size)
    with changed_quantities(target) as change:
        result = run_refresh_process(raw, work, "incremental", timeout)
    return {
        **result,
        "changed": change,
        "ratio_to_full": _ratio(result["seconds"], full["seconds"]),
    }


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="vetdx-bench-") as folder:
        yield Path(folder)


def run_bench(opts: BenchOptions, progress: Callable[[str], None] = print) -> dict:
    results: dict = {
        "scale": opts.scale,
        "data": str(opts.data),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        # Other work on the machine skews every figure: the 1/5/15-minute load, before and after.
        "load_average": {"start": os.getloadavg()},
    }
    if opts.generate:
        from pipelines.sample.generator import generate

        progress(f"generating the {opts.scale} sample into {opts.data} ...")
        started = time.perf_counter()
        summary = generate(opts.data, scale=opts.scale, seed=opts.seed)
        results["generated"] = {
            **{k: v for k, v in summary.items() if k != "files"},
            "seconds": round(time.perf_counter() - started, 1),
        }
    raw = opts.data.resolve()
    with _scratch() as work:
        results["dataset"] = _dataset(raw)
        files = [p for s in SOURCES for p in (raw / s).rglob("*") if p.is_file()]
        ingest.warm_cache(files)
        parse = _parser_for(raw, work)

        progress("ingest: vetdx vs DuckDB read_csv vs pandas ...")
        results["ingest"] = _compare_ingest(raw, work, parse, opts.repeat)
        progress("ingest: every source through vetdx ...")
        everything = work / "all_sources.duckdb"
        results["ingest"]["all_sources"] = ingest.vetdx_ingest(
            raw, tuple(SOURCES), everything, parse, keep=True
        )
        with duckdb.connect(str(everything), read_only=True) as con:
            results["dataset"]["equipment_rows"] = con.execute(
                "SELECT (SELECT count(*) FROM raw.equipment_inventory)"
                " + (SELECT count(*) FROM quarantine.equipment_inventory)"
            ).fetchone()[0]

        progress("validation cost of raw.equipment_inventory ...")
        results["validation"] = _validation(everything)
        everything.unlink()

        progress("full refresh (vetdx refresh, child process) ...")
        since = time.time()
        full = run_refresh_process(raw, work, "full", opts.refresh_timeout)
        results["refresh_full"] = full
        results["monte_carlo"] = dbt_timings(work / "warehouse", since) or {
            "error": "no run_results.json of this refresh's dbt build in the warehouse's dbt target"
        }
        published = work / "warehouse" / "vetdx.duckdb"
        if full["success"] and published.exists():
            progress("analyst queries ...")
            results["queries"] = query_latency(published, opts.query_runs)
            progress("vetdx sql against plain DuckDB ...")
            results["sql_overhead"] = sql_overhead(published, runs=min(opts.query_runs, 10))
        else:
            results["queries"] = {"error": "the full refresh published nothing"}
            results["sql_overhead"] = {"error": "the full refresh published nothing"}

        progress("refresh after one changed equipment file ...")
        results["refresh_incremental"] = _incremental(raw, work, full, opts.refresh_timeout)
    results["targets"] = verdicts(results)
    results["load_average"]["end"] = os.getloadavg()
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return results


def cmd_bench(args: argparse.Namespace) -> int:
    data = Path(args.data).expanduser() if args.data else BENCH_DIR / args.scale
    out = Path(args.out).expanduser() if args.out else BENCH_DIR / f"bench-{args.scale}.json"
    opts = BenchOptions(
        scale=args.scale,
        data=data.resolve(),
        out=out.resolve(),
        generate=not args.skip_generate,
        seed=args.seed,
        repeat=args.repeat or (3 if args.scale == "small" else 1),
        query_runs=args.query_runs,
        refresh_timeout=args.refresh_timeout,
    )
    if not opts.generate and not opts.data.is_dir():
        print(f"--skip-generate: no data folder at {opts.data}")
        return 2
    results = run_bench(opts)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(render(results))
    print(f"\nresults: {opts.out}")
    return 0 if results["refresh_full"]["success"] else 1


def main(argv: Sequence[str] | None = None) -> int:
    from pipelines.bench.arguments import add_bench_parser

    parser = argparse.ArgumentParser(prog="vetdx")
    add_bench_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["bench", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)

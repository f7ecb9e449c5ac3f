"""The `vetdx bench` subcommand's arguments: argparse only, so `vetdx sql` and the other commands do
not import the benchmark's DuckDB, Polars and NumPy code (about 0.4 s) just to build the parser."""

from __future__ import annotations

import argparse

BENCH_DESCRIPTION = """Scale benchmark: every figure on the same files in one run, printed and written as JSON
(see pipelines/bench/run.py).

Order: generate (unless --skip-generate) -> ingest comparisons -> validation cost on the ingested
10M-row table -> full `vetdx refresh` (child process) -> dbt timings of that refresh -> query
latency on its published warehouse -> refresh after one equipment CSV changed."""


def add_bench_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `bench` on the `vetdx` command's subparsers (pipelines/cli.py build_parser)."""
    p = subparsers.add_parser(
        "bench",
        help="scale benchmark: ingest vs DuckDB and pandas, refresh time and memory, queries",
        description=BENCH_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--scale", choices=["small", "large"], default="large")
    p.add_argument("--data", help="raw folder to benchmark (default bench_data/<scale>, git-ignored)")
    p.add_argument("--out", help="results JSON (default bench_data/bench-<scale>.json)")
    p.add_argument("--skip-generate", action="store_true", help="benchmark the files already in --data")
    p.add_argument("--seed", type=int, default=2025, help="generator seed")
    p.add_argument("--repeat", type=int, help="runs per ingest contender, median reported (small 3, large 1)")
    p.add_argument("--query-runs", type=int, default=20, help="timed runs per query, after one warm-up")
    p.add_argument("--refresh-timeout", type=float, default=3600, help="seconds before a refresh is killed")
    p.set_defaults(func=_cmd_bench)


def _cmd_bench(args: argparse.Namespace) -> int:
    from pipelines.bench.run import cmd_bench

    return cmd_bench(args)

"""`vetdx bench`: the scale benchmark of issue 7 (ingest, refresh, queries, uncertainty, validation).

Entry points: `add_bench_parser(subparsers)` registers the `bench` subcommand on the `vetdx` parser;
`python -m pipelines.bench` runs it standalone. See docs/benchmark.md for the method and figures.
"""

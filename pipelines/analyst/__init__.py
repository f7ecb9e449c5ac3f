"""Analysts' access to the published warehouse: a sandboxed, read-only DuckDB session.

`vetdx sql` (pipelines/analyst/command.py) and `vetdx.connect()` (the `vetdx` package, for notebooks)
both open the warehouse through `session.open_sandbox` and pass every statement through `policy`.
Nothing here is imported by the refresh; this package must stay free of dagster, dbt and polars so
`vetdx sql` starts as fast as plain DuckDB.
"""

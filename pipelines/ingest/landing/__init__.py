"""Landing: parsed files into DuckDB (raw, quarantine and audit.loads), in file order and in groups
that commit whole (`groups`), with parsing run ahead in workers (`parallel`). `loader.ingest_source`
is what the Dagster assets call.
"""

"""Data quality: Great Expectations suites kept as code, run chunk by chunk on DuckDB.

spec.py (suite shape) -> raw_suites.py / mart_suites.py (the suites) -> runner.py (validate) ->
report.py (ValidationReport) -> docs.py (GX Data Docs); Dagster wiring in pipelines/defs/checks.py.
batches.py keeps `audit.validated_batches`, so a raw check judges only rows of batches not yet validated.
"""

"""Turn the files countries send into rows of the raw layer, and land them in DuckDB.

Parsing is pure (a file and a `context.ParseContext` in, `rows.model.ParsedFile` out, no database);
only `landing/` writes DuckDB. Entry points: `parse.parse_file(path, source, ctx, display_name)` and
`landing.loader.ingest_source(...)`; `schemas` is the raw/quarantine/audit column contract.

Layout (docs/architecture.md, "The ingest package"):
- `readers/`  bytes -> sheets of string cells and their header (format, encoding, size limits)
- `vocab/`    words a file may use: countries, codebook, equipment, synonyms.csv, yes/no
- `rows/`     the row model, reason codes, row rules and the shared validation helpers
- `sources/`  one parser per source folder (survey, institutions, inventory, official)
- `privacy/`  personal data: detection, redaction, keyed hash and its key
- `landing/`  parsed files into DuckDB in groups, parsing run ahead in workers
"""

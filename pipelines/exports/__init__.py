"""COMCEC export set of a published warehouse version: workbook, CSV/Parquet, charts, profiles, manifest."""

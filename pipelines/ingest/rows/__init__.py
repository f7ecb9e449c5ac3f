"""The row model: what a parser hands to the loader (`model`), why a row or file is refused
(`reasons`), row rules and checks as Polars expressions (`rules`, `checks`, `rejects`), cell
converters (`numbers`, `values`) and rows that are not data (`notes`).
"""

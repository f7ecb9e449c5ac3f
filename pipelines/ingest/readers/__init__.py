"""Readers: bytes of a file in, sheets of string cells (`grid.Grid`) and their header (`header.Table`) out.

Format and encoding detection, the XLSX/SpreadsheetML/text readers, the size limits that refuse a
bomb by name, and the header-less columns of ragged text rows. Nothing here knows a source.
"""

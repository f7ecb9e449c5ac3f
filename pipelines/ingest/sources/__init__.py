"""Source parsers: one module per source folder of data/raw (survey, institutions, inventory,
official), each from located `Table`s to `ParsedTable`s of its raw tables; `hints` reads a country or
year from a title or path.
"""

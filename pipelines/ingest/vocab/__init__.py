"""Vocabularies: the words and codes a file may use, and how two spellings compare (`text.fold`).

Countries (seeds, aliases, CLDR names), the survey codebook, the equipment taxonomy, the
multilingual header and value synonyms (`header_synonyms.csv`, read by `synonyms.py`) and the one
yes/no vocabulary (`yes_no.py`).
"""

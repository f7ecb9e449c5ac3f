"""The one yes/no vocabulary: which spellings mean yes and no, and where.

The words are rows of `synonyms.csv` (vocabularies `yes_no*`), so a new spelling is a data change.
Every reader of a person's yes/no takes the common words (`yes_no`: yes/y/true/1, oui/o/vrai, نعم
and their no). On top of them, per use, on purpose:
- `answer` (a survey's yes_no question): also "ok";
- `presence` (an inventory's "has electricity / computer lab" column): also "available",
  "disponible" and "none", "aucun(e)": there "none" says there is none; a survey answer "none" to a
  yes/no question stays an invalid choice rather than a guessed no;
- `option` (a select-multiple option column, written by the form tool, not typed): only 1/0, Y/N,
  yes/no, true/false.
Before these words lived in three places (codebook, cell converters, survey options) and drifted.
"""

from __future__ import annotations

from pipelines.ingest.vocab.synonyms import synonyms
from pipelines.ingest.vocab.text import fold

_VOCABULARIES = {
    "answer": ("yes_no", "yes_no.answer"),
    "presence": ("yes_no", "yes_no.presence"),
    "option": ("yes_no.option",),
}


def _words(names: tuple[str, ...]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for name in names:
        for canonical, spellings in synonyms(name).items():
            for spelling in spellings:
                out[fold(spelling)] = canonical == "yes"
    return out


WORDS: dict[str, dict[str, bool]] = {use: _words(names) for use, names in _VOCABULARIES.items()}


def cell_key(text: str) -> str:
    """The folded cell, "1.0" from a numeric spreadsheet cell read as "1"."""
    key = fold(text)
    if key.endswith(" 0") and key[:-2].isdigit():
        key = key[:-2]
    return key


def yes_no(text: str, use: str) -> bool | None:
    """True for a yes, False for a no, None for neither, in one of the uses `answer`, `presence`,
    `option` (an unknown use is a bug, so it raises)."""
    return WORDS[use].get(cell_key(text))

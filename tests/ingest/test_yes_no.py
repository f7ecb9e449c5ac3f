"""One yes/no vocabulary (pipelines/ingest/vocab/yes_no.py) for the three readers that used to carry
their own lists: survey yes_no answers, inventory "has ..." columns, select-multiple option columns."""

from __future__ import annotations

import pytest

from pipelines.ingest.context import ParseContext
from pipelines.ingest.rows.values import to_bool
from pipelines.ingest.vocab.yes_no import yes_no

# cell -> (answer, presence, option): None = neither yes nor no, so the row is quarantined.
CELLS = {
    "Yes": (True, True, True),
    "Y": (True, True, True),
    "1.0": (True, True, True),  # a numeric spreadsheet cell
    "0": (False, False, False),
    "Oui": (True, True, None),  # option columns are written by the form tool: 1/0, Y/N only
    "نَعَم": (True, True, None),  # Arabic with diacritics
    "لا": (False, False, None),
    "Faux": (False, False, None),
    "OK": (True, None, None),
    "Disponible": (None, True, None),
    "none": (None, False, None),
    "Aucune": (None, False, None),
    "maybe": (None, None, None),
    "10": (None, None, None),
    "1.0.0": (None, None, None),
}


@pytest.mark.parametrize(("cell", "expected"), CELLS.items())
def test_each_use_reads_the_same_words(cell: str, expected: tuple) -> None:
    assert tuple(yes_no(cell, use) for use in ("answer", "presence", "option")) == expected
    assert to_bool(cell) == expected[1]


def test_unknown_use_is_a_bug() -> None:
    with pytest.raises(KeyError):
        yes_no("yes", "maybe")


def test_codebook_yes_no_questions_use_the_answer_words(ctx: ParseContext) -> None:
    q = next(q for q in ctx.codebook.questions.values() if q.type == "yes_no")
    for cell, (answer, _, _) in CELLS.items():
        choice = ctx.codebook.choice_for(q, cell)
        assert (choice.code if choice else None) == (None if answer is None else "yes" if answer else "no"), (
            cell
        )

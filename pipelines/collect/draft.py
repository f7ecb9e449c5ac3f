"""Draft a mapping of a national form from one of its exports, for a person to review.

Each header (metadata skipped) is compared with every codebook question: its code and its labels in
English, French and Arabic, after `text.fold` (case, accents, Arabic letter forms) and for each
group-path suffix (`grp_a/q12` is also `q12`). The score is the best of a character ratio
(difflib), a word overlap (Jaccard) and 0.9 x the share of the shorter text's content words (3+
letters, not a stop word) the other holds ("Courriel du point focal" holds all of "Courriel").
A question scoring at least `THRESHOLD` is proposed, each question once (its best column); the
rest are left blank. For a proposed choice question, the column's distinct answers (or a
select_multiple's option columns) get choice rows matched to choice codes and labels the same way;
an answer with no match gets a blank choice_code, which the refresh refuses until a person fills
it: a draft is never applied unreviewed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from pipelines.collect.mapping import COLUMNS
from pipelines.ingest.privacy.pii import is_personal_header
from pipelines.ingest.readers.read import read_grids
from pipelines.ingest.sources.survey_columns import classify
from pipelines.ingest.vocab.codebook import Codebook, Question
from pipelines.ingest.vocab.text import fold

THRESHOLD = 0.6  # below: "Nombre d'ateliers" vs "Programmes offered" territory (measured 0.3-0.5)
# An option header's last part is a short choice label: only a close spelling counts ("privé" is
# no option, "Secteur privé" is), so word containment does not count there.
OPTION_THRESHOLD = 0.8
MAX_CHOICES = 40  # distinct answers of a column to draft choice rows for (a free-text column has more)
_SEPARATOR = re.compile(r"\s*/\s*|(?<=\w)-(?=\w)")
_CHOICE_TYPES = ("select_one", "select_multiple", "likert5", "yes_no")
_STOP_WORDS = frozenset(("the", "and", "for", "with", "des", "les", "une", "dans", "par", "pour", "avec"))


def _content(words: set[str]) -> set[str]:
    return {w for w in words if len(w) >= 3 and w not in _STOP_WORDS}


@dataclass(frozen=True)
class Match:
    score: float
    target: str  # the code or label that matched
    lang: str  # code | en | fr | ar


def _similarity(a: str, b: str, held: bool = True) -> float:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    words_a, words_b = set(fa.split()), set(fb.split())
    jaccard = len(words_a & words_b) / len(words_a | words_b)
    content_a, content_b = _content(words_a), _content(words_b)
    shorter = min(len(content_a), len(content_b))
    score = 0.9 * len(content_a & content_b) / shorter if shorter else 0.0
    return max(SequenceMatcher(None, fa, fb).ratio(), jaccard, score if held else 0.0)


def _candidates(header: str) -> list[str]:
    """The header and each group-path suffix of it."""
    return [header] + [header[m.end() :] for m in _SEPARATOR.finditer(header)]


def _best(texts: Iterable[tuple[str, str]], header: str, held: bool = True) -> Match:
    best = Match(0.0, "", "")
    for candidate in _candidates(header):
        for lang, text in texts:
            score = _similarity(candidate, text, held)
            if score > best.score:
                best = Match(score, text, lang)
    return best


def _question_texts(q: Question) -> list[tuple[str, str]]:
    langs = ("en", "fr", "ar")
    return [("code", q.code), *zip(langs, q.labels, strict=False)]


def _choice_rows(
    form_id: str, source: str, q: Question, values: Iterable[str], codebook: Codebook
) -> list[dict[str, str]]:
    rows = []
    for value in values:
        options = codebook.choices.get(q.list_name or "", ())
        scored = [
            (_best([("code", c.code), *zip(("en", "fr", "ar"), c.labels, strict=False)], value), c.code)
            for c in options
        ]
        match, code = max(scored, key=lambda s: s[0].score, default=(Match(0.0, "", ""), ""))
        good = match.score >= THRESHOLD
        rows.append(
            {
                "form_id": form_id,
                "source": source,
                "source_choice": value,
                "question_code": q.code,
                "choice_code": code if good else "",
                "note": f"similarity {match.score:.2f} to '{match.target}' ({match.lang})"
                if good
                else "REVIEW: no choice of list '" + (q.list_name or "") + "' matches",
            }
        )
    return rows


def _option_column(header: str, codebook: Codebook) -> tuple[str, Question, str] | None:
    """(parent header, question, option text) when the header is `<select_multiple>/<option>`: the
    right part must match an option as well as the left part the question ("RV/RA" splits last)."""
    for sep in reversed(list(_SEPARATOR.finditer(header))):
        left, right = header[: sep.start()], header[sep.end() :]
        for q in (q for q in codebook.questions.values() if q.type == "select_multiple"):
            if _best(_question_texts(q), left).score < THRESHOLD:
                continue
            for c in codebook.choices.get(q.list_name or "", ()):
                texts = [("code", c.code), *zip(("en", "fr", "ar"), c.labels, strict=False)]
                if _best(texts, right, held=False).score >= OPTION_THRESHOLD:
                    return left, q, right
    return None


def draft_mapping(path: Path, form_id: str, codebook: Codebook) -> list[dict[str, str]]:
    """Mapping rows (columns of `mapping.COLUMNS`) for every non-metadata column of the export."""
    read = read_grids(path, path.name)
    grid = read.grids[0]  # Kobo and ODK put the submissions on the first sheet, header in row 1
    header = grid.head_rows(1)[0]
    names = [c for c in grid.cells.columns if c != "_row_number"]
    columns = {h: names[i] for i, h in enumerate(header) if h}
    proposals: dict[str, tuple[Match, Question | None]] = {}
    options: dict[str, tuple[Question, list[str]]] = {}  # option columns `q/opt` by parent `q`
    for h in columns:
        if classify(h, codebook).kind == "meta":
            continue
        option = _option_column(h, codebook)
        if option:
            parent, q, child = option
            options.setdefault(parent, (q, []))[1].append(child)
            continue
        scored = [(_best(_question_texts(q), h), q) for q in codebook.questions.values()]
        match, q = max(scored, key=lambda s: s[0].score)
        proposals[h] = (match, q if match.score >= THRESHOLD else None)
    for parent, (q, _) in options.items():  # an option column's parent, with or without a summary
        if parent not in proposals or proposals[parent][1] is None:
            proposals[parent] = (_best(_question_texts(q), parent), q)
    # A question is proposed for its best-scoring column only.
    owner: dict[str, str] = {}
    for h, (match, q) in proposals.items():
        if q and (q.code not in owner or proposals[owner[q.code]][0].score < match.score):
            owner[q.code] = h
    rows: list[dict[str, str]] = []
    for h, (match, q) in proposals.items():
        chosen = q if q and owner[q.code] == h else None
        note = (
            f"similarity {match.score:.2f} to '{match.target}' ({match.lang})"
            if chosen
            else "personal data: never kept"
            if is_personal_header(h)
            else "REVIEW: no codebook question matches; stays unmapped"
        )
        rows.append(
            {"form_id": form_id, "source": h, "question_code": chosen.code if chosen else "", "note": note}
        )
        if chosen is None or chosen.type not in _CHOICE_TYPES:
            continue
        if h in options and options[h][0] is chosen:
            values = options[h][1]
        elif h not in columns:
            values = []
        else:
            cells = grid.cells[columns[h]].slice(1).drop_nulls().unique(maintain_order=True).to_list()
            parts = [p for c in cells for p in (c.split() if chosen.type == "select_multiple" else [c])]
            values = list(dict.fromkeys(parts))
        if len(values) <= MAX_CHOICES:
            rows += _choice_rows(form_id, h, chosen, values, codebook)
    return [{c: r.get(c, "") for c in COLUMNS} for r in rows]


def write_mapping(rows: list[dict[str, str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path

"""Text normalisation shared by every matcher: headers, country names, choice labels, item names.

`fold` makes spellings that people treat as the same compare equal: case, Latin diacritics
("Côte" = "Cote"), Arabic diacritics and letter variants ("الإمارات" = "الامارات"), punctuation and
repeated spaces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Arabic short vowels, shadda, sukun, tanween, superscript alef (U+064B-U+065F, U+0670) and tatweel.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_NON_WORD = re.compile(r"[^\w]+")
# Arabic-Indic (U+0660..) and Persian/Urdu (U+06F0..) digits mean the same as ASCII digits.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def strip_latin_diacritics(text: str) -> str:
    # NFKD splits "é" into "e" + combining accent; drop the accents only for Latin letters so that
    # Arabic letters that decompose (e.g. "آ") are left to the Arabic rules.
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and not ("\u0600" <= ch <= "\u06ff"):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


# Cached: a survey export folds the same headers and answer labels hundreds of thousands of times
# (681,250 calls for 40 survey files, 18 s of their 29 s ingest, before the cache).
@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Comparable key: casefolded, no diacritics, unified Arabic letters, words joined by one space."""
    text = strip_latin_diacritics(text.casefold()).replace("œ", "oe").replace("æ", "ae")
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS).translate(DIGITS)
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


def compact(text: str) -> str:
    """`fold` without spaces: LimeSurvey codes cannot hold underscores ("broadbandmbps")."""
    return fold(text).replace(" ", "")

"""Choose the text encoding of a CSV/TSV by plausibility, not by "it decoded without error".

Single-byte code pages decode any byte string: Windows-1256 Arabic read as Windows-1252 gives
"ÇáÌÒÇÆÑ", read as ISO-8859-6 gives wrong Arabic letters. So, after the unambiguous cases (BOM,
UTF-16 NUL pattern, valid UTF-8), every candidate decoding of a sample is scored:

  + Arabic article "ال" at word starts and frequent Arabic/French words (evidence of real text)
  - C1 control characters U+0080-U+009F (bytes that mean letters in cp125x, never text in Latin-1)
  - words mixing Arabic and Latin letters, Latin words with an uppercase letter after a lowercase
    one ("ÇáÌ"), UTF-8 mojibake ("Ã©"), undefined bytes

The highest score wins; ties go to the earlier candidate (cp1252, the commonest legacy page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CANDIDATES = ("cp1252", "cp1256", "iso-8859-6", "latin-1")
_SAMPLE = 256 * 1024
_ARABIC = "\u0600-\u06ff"
_WORD = re.compile(r"[^\W\d_]+")
_ARABIC_ARTICLE = re.compile(rf"(?:^|[^{_ARABIC}])ال[{_ARABIC}]")
_COMMON = frozenset(
    [
        "في",
        "من",
        "على",
        "الى",
        "إلى",
        "عدد",
        "عن",
        "مع",
        "او",
        "أو",
        "ما",
        "هذا",
        "التي",
        "الذي",
        "de",
        "la",
        "le",
        "les",
        "des",
        "du",
        "et",
        "en",
        "un",
        "une",
        "pour",
        "par",
        "au",
        "aux",
        "est",
        "dans",
        "sur",
        "avec",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
    ]
)
_MIXED_CASE = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ]")
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|Ø[\u00a7-\u00ba]|Ù[\u0080-\u008a]")
_C1 = re.compile("[\u0080-\u009f]")


class UndecodableText(Exception):
    """No candidate encoding gives plausible text."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def plausibility(text: str) -> int:
    """Higher is more like real EN/FR/AR text; see the module docstring for the terms."""
    score = 3 * len(_ARABIC_ARTICLE.findall(text))
    score -= 10 * len(_C1.findall(text)) + 10 * text.count("\ufffd") + 5 * len(_MOJIBAKE.findall(text))
    for word in _WORD.findall(text):
        if word.casefold() in _COMMON:
            score += 2
        has_arabic = any("\u0600" <= ch <= "\u06ff" for ch in word)
        if has_arabic and any(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in word):
            score -= 5
        elif not has_arabic and _MIXED_CASE.search(word):
            score -= 3
    return score


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) < 4:
        return None
    if head[1::2].count(0) > 0.3 * len(head) / 2:
        return "utf-16-le"
    if head[0::2].count(0) > 0.3 * len(head) / 2:
        return "utf-16-be"
    return None


def _sample(data: bytes) -> bytes:
    if len(data) <= _SAMPLE:
        return data
    cut = data.rfind(b"\n", 0, _SAMPLE)
    return data[: cut if cut > 0 else _SAMPLE]


def decode(data: bytes) -> Decoded:
    """Decode the whole file; the encoding name is what the audit log reports."""
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16"), "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16), utf16)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    sample = _sample(data)
    scored: list[tuple[int, int, str]] = []
    for order, name in enumerate(_CANDIDATES):
        try:
            scored.append((plausibility(sample.decode(name)), -order, name))
        except UnicodeDecodeError:
            continue
    for score, _, name in sorted(scored, reverse=True):
        if score < -len(sample) // 20:
            break  # mostly control characters: a binary file, not text in any code page
        try:
            return Decoded(data.decode(name), name)
        except UnicodeDecodeError:
            continue  # the sample decoded but a later byte is undefined in this code page
    raise UndecodableText(
        "no text encoding (UTF-8, UTF-16, Windows-1252/1256, ISO-8859-6) gives readable text"
    )

"""UI strings of the exports in the three OIC languages (English, French, Arabic).

The strings live in `labels.csv` (key,en,fr,ar) so translators edit one UTF-8 file, not code.
Country and indicator names are not here: they come from the marts' name_en/name_fr/name_ar.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from importlib import resources

LANGS: tuple[str, ...] = ("en", "fr", "ar")
RTL_LANGS: frozenset[str] = frozenset({"ar"})


@cache
def _table() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("labels.csv").read_text(encoding="utf-8")
    return {row["key"]: {lang: row[lang] for lang in LANGS} for row in csv.DictReader(text.splitlines())}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str) -> str:
    """The label `key` in `lang`; an unknown key is a bug, so it raises instead of showing the key."""
    return _table()[key][check_lang(lang)]


def labels(lang: str) -> dict[str, str]:
    """Every label in `lang`, for templates (`{{ t.key }}`)."""
    check_lang(lang)
    return {key: row[lang] for key, row in _table().items()}


def has(key: str) -> bool:
    return key in _table()


def column_label(column: str, lang: str) -> str:
    """Header for a mart column; columns without a translation keep their technical name."""
    key = f"col_{column}"
    return t(key, lang) if has(key) else column


def group_label(oic_group: str | None, lang: str) -> str:
    """OIC group names are English codes in the marts (Arab | African | Asian); show them translated."""
    if oic_group is None:
        return "-"
    key = f"oic_group_{oic_group}"
    return t(key, lang) if has(key) else oic_group


def is_rtl(lang: str) -> bool:
    return lang in RTL_LANGS


def fmt_number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """Fixed-decimals text for documents; French uses a decimal comma, missing values an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def data_label_text(data_label: str | None, lang: str) -> str:
    """The warning shown on every sheet, chart and page.

    The mart's label is kept verbatim (it is the official wording); other languages add a translation
    in front of it so a reader of the French or Arabic report cannot miss it.
    """
    if data_label is None:
        return t("official_data", lang)
    if lang == "en":
        return data_label
    return f"{t('synthetic_warning', lang)} ({data_label})"

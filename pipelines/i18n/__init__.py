"""UI strings of the exports in the three OIC languages (English, French, Arabic).

The strings live in `labels.csv` (key,en,fr,ar) so translators edit one UTF-8 file, not code.
Country and indicator names are not here: they come from the marts' name_en/name_fr/name_ar.
Values the marts hold as English codes or phrases (income groups, regions, units, methods, missing
reasons) are translated by `term` and `reason`; a value with no entry keeps its English text, which the
Arabic-set test catches.
"""

from __future__ import annotations

import csv
import math
import re
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


# Unicode LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE: inside right-to-left text a number keeps its
# sign in front ("-0.9", not "0.9-") and a range its order ("0-100"); browsers, Excel and Matplotlib's
# libraqm honour them and show nothing for the two characters.
LRI, PDI = "\u2066", "\u2069"


def ltr(text: str, lang: str) -> str:
    """`text` isolated left to right in a right-to-left language, unchanged otherwise."""
    return f"{LRI}{text}{PDI}" if is_rtl(lang) and text else text


_NUMBERS = re.compile(r"[-+−]?\d[\d.,]*(?:\s?[-–]\s?\d[\d.,]*)?%?")


def isolate_numbers(text: str, lang: str) -> str:
    """Every number (and number range) in `text` isolated left to right in a right-to-left language."""
    if not is_rtl(lang) or not text:
        return text
    return _NUMBERS.sub(lambda m: ltr(m.group(0), lang), text)


def fmt_number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """Fixed-decimals text for documents; French uses a decimal comma, missing values an en dash,
    Arabic isolates the number left to right (its minus sign stays in front)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:.{digits}f}"
    if text.lstrip("-").strip("0.") == "":  # -0.0 after rounding reads as a gap with a side
        text = text.lstrip("-")
    return ltr(text.replace(".", ",") if lang == "fr" else text, lang)


def slug(value: str) -> str:
    """Label key part of a value: 'score 0-100' -> 'score_0_100'; a leading minus stays ('-1')."""
    key = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")
    return f"-{key}" if value.strip().startswith("-") else key


def term(kind: str, value: object, lang: str) -> str:
    """A mart value of `kind` (income, region, unit, node_type, normalisation, aggregation, transform,
    treatment, direction, flag, group_type, benchmark, ...) in `lang`; unknown values keep their text."""
    if value is None:
        return ""
    key = f"{kind}_{slug(str(value))}"
    if has(key):
        return t(key, lang)
    parametric = _parametric(kind, str(value), lang)
    return parametric if parametric is not None else str(value)


def _parametric(kind: str, value: str, lang: str) -> str | None:
    """Values with a parameter: `carry_forward:3`, `peer_median:oic_group`, `carry_forward from 2022`,
    `official:World Bank` (the source type and the organisation translated separately)."""
    name, _, arg = value.partition(":")
    if kind == "imputation" and name == "carry_forward" and arg:
        return t("imputation_carry_forward", lang).format(n=ltr(arg, lang))
    if kind == "imputation" and name == "peer_median" and arg:
        return t("imputation_peer_median", lang).format(group=term("group_type", arg, lang))
    if kind == "method" and (m := re.fullmatch(r"carry_forward from (\d+)", value)):
        return t("method_carry_forward", lang).format(year=ltr(m.group(1), lang))
    if kind == "source" and arg and has(f"source_{slug(name)}"):
        return f"{term('source', name, lang)}: {term('source', arg, lang)}"
    return None


def income_label(income_group: str | None, lang: str) -> str:
    return "–" if income_group is None else term("income", income_group, lang)


_REASONS = (
    (
        re.compile(r"no value for this country and round; carry_forward:(\d+) found no donor"),
        "reason_no_donor",
    ),
    (re.compile(r"no value for this country and round"), "reason_no_value"),
    (
        re.compile(r"coverage ([\d.]+) below minimum ([\d.]+) \(missing: (.*)\)"),
        "reason_coverage",
    ),
    (re.compile(r"no data: no child has a score \((.*)\)"), "reason_no_child"),
)


def reason(text: str | None, lang: str, names: dict[str, str], short: bool = False) -> str | None:
    """A `missing_reason` of the marts in `lang`, node codes replaced by their names (`short`: without
    the list of missing parts, for chart notes); an unknown wording is kept as it is (English)."""
    if text is None:
        return None
    for pattern, key in _REASONS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        if short and key in ("reason_coverage", "reason_no_child"):
            args = (
                {"coverage": ltr(m.group(1), lang), "minimum": ltr(m.group(2), lang)}
                if m.re.groups == 3
                else {}
            )
            return t(f"{key}_short", lang).format(**args)
        if key == "reason_no_donor":
            return t(key, lang).format(n=ltr(m.group(1), lang))
        if key == "reason_no_value":
            return t(key, lang)
        comma = "، " if is_rtl(lang) else ", "
        listed = comma.join(names.get(c.strip(), c.strip()) for c in m.groups()[-1].split(","))
        if key == "reason_coverage":
            return t(key, lang).format(
                coverage=ltr(m.group(1), lang), minimum=ltr(m.group(2), lang), missing=listed
            )
        return t(key, lang).format(missing=listed)
    return text


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

"""Labels, terms and number formatting of the three languages (pure functions, no warehouse)."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from pipelines import i18n
from pipelines.exports.workbook import goalposts_text, sheet_name, stored

LRI, PDI = "\u2066", "\u2069"


def test_every_label_has_all_three_languages():
    text = resources.files("pipelines.i18n").joinpath("labels.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len({r["key"] for r in rows}) == len(rows)  # no key twice
    for row in rows:
        assert all(row[lang].strip() for lang in i18n.LANGS), row["key"]


@pytest.mark.parametrize(
    ("kind", "value", "lang", "expected"),
    [
        ("income", "Lower middle income", "ar", "دخل متوسط أدنى"),
        ("income", "High income", "fr", "Revenu élevé"),
        ("region", "Middle East & North Africa", "fr", "Moyen-Orient et Afrique du Nord"),
        ("node_type", "index", "ar", "مؤشر مركب"),
        ("unit", "score 0-100", "ar", "درجة 0-100"),
        ("unit", "% of VET budget", "fr", "% du budget de l'EFTP"),
        ("direction", -1, "fr", "plus bas = meilleur"),
        ("aggregation", "geometric", "en", "weighted geometric mean"),
        ("method", "carry_forward from 2022", "fr", "reportée depuis 2022"),
        ("source", "official:World Bank", "ar", "رسمي: البنك الدولي"),
        ("imputation", "peer_median:income_group", "fr", "médiane des pairs (groupe de revenu)"),
        ("normalisation", "borda", "ar", "borda"),  # unknown: kept, so the Arabic-set test catches it
    ],
)
def test_terms_of_the_marts_are_translated(kind, value, lang, expected):
    assert i18n.term(kind, value, lang) == expected


def test_parameters_inside_arabic_terms_are_isolated_left_to_right():
    assert (
        i18n.term("imputation", "carry_forward:3", "ar")
        == f"آخر قيمة سابقة، لا يتجاوز عمرها {LRI}3{PDI} جولات"
    )
    assert i18n.term("method", "carry_forward from 2022", "ar") == f"مُرحَّلة من {LRI}2022{PDI}"


def test_missing_reasons_are_translated_with_node_names():
    names = {"dsk_educators": "Educators", "pol_practice": "Pratique"}
    text = "coverage 0.50 below minimum 0.65 (missing: dsk_educators, pol_practice)"
    assert (
        i18n.reason(text, "fr", names)
        == "couverture 0.50 inférieure au minimum 0.65 (manquent : Educators, Pratique)"
    )
    assert i18n.reason(text, "en", names, short=True) == "coverage 0.50 < 0.65"
    assert i18n.reason("no data: no child has a score (pol_practice)", "fr", names) == (
        "pas de données : aucune composante n'a de score (Pratique)"
    )
    assert i18n.reason("no value for this country and round; carry_forward:3 found no donor", "en", {}) == (
        "no earlier value to carry forward (at most 3 rounds)"
    )
    assert i18n.reason("something new", "ar", names) == "something new"
    assert i18n.reason(None, "ar", names) is None


def test_arabic_numbers_keep_their_minus_sign_in_front():
    assert i18n.fmt_number(-0.94, "ar") == f"{LRI}-0.9{PDI}"
    assert i18n.fmt_number(12.25, "fr") == "12,2"  # Python rounds half to even on the binary value
    assert i18n.fmt_number(-0.04, "en") == "0.0"  # no signed zero after rounding
    assert i18n.fmt_number(None, "ar") == "–"
    assert i18n.isolate_numbers("من -3 إلى 0-100", "ar") == f"من {LRI}-3{PDI} إلى {LRI}0-100{PDI}"
    assert i18n.isolate_numbers("from -3", "en") == "from -3"


def test_long_sheet_names_are_cut_at_a_word_and_marked():
    taken: set[str] = set()
    assert sheet_name("Curriculum, content and pedagogy", taken) == "Curriculum, content and…"
    assert sheet_name("Curriculum, content and pedagogy", taken) == "Curriculum, content and… (2)"
    assert sheet_name("Short: name?", taken) == "Short  name"


def test_goalposts_read_as_a_range_a_target_or_relative():
    leaf = {"node_type": "indicator", "lower_bound": 0.0, "upper_bound": 50.0, "target": None}
    assert goalposts_text(leaf, "en") == "0 to 50"
    assert goalposts_text({**leaf, "target": 4.0}, "fr") == "cible 4"
    assert (
        goalposts_text({**leaf, "lower_bound": None, "upper_bound": None}, "en")
        == "none (relative to the data)"
    )
    assert goalposts_text({**leaf, "node_type": "dimension"}, "en") == ""
    assert goalposts_text(leaf, "ar") == f"من {LRI}0{PDI} إلى {LRI}50{PDI}"


def test_cells_hold_no_float_noise():
    assert stored(8.049999999999955) == 8.05
    assert stored(float("nan")) is None
    assert stored("x") == "x" and stored(3) == 3

"""An official series named as a catalogue `denominator` is accepted by the loader as itself,
without being an indicator (COINr's denominators: population, GDP, area)."""

from __future__ import annotations

from pipelines.ingest.context import catalogue_lookup


def test_denominator_series_is_accepted_without_being_an_indicator():
    rows = [
        {"code": "x_per_capita", "source_code": "", "denominator": "SP.POP.TOTL"},
        {"code": "internet", "source_code": "IT.NET.USER.ZS", "denominator": ""},
        {"code": "students_share", "source_code": "", "denominator": "students"},
    ]
    lookup = catalogue_lookup(rows)
    assert lookup["sp.pop.totl"] == "SP.POP.TOTL"  # kept under its own code (int_denominators_derived)
    assert lookup["it.net.user.zs"] == "internet"  # a source code still maps onto its indicator
    assert lookup["x_per_capita"] == "x_per_capita"
    assert "gdp" not in lookup  # anything else is still unknown_indicator

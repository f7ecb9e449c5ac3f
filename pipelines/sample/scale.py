"""Size settings of the two sample scales."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    rounds: tuple[int, ...]  # survey rounds = reference years of every source
    total_institutions: int | None  # None: a few dozen per country (small scale)
    survey_institutions: tuple[int, int]  # institution responses per country-round (min, max)
    lots_per_item: float  # mean extra acquisition lots per (institution, item)
    xlsx_inventory_max_rows: int  # larger inventories are written as CSV (as big senders do)
    history_countries: float  # share of countries that also send the older inventory years


SCALES: dict[str, Scale] = {
    "small": Scale(
        name="small",
        rounds=(2023, 2024, 2025),
        total_institutions=None,
        survey_institutions=(3, 15),
        lots_per_item=0.5,
        xlsx_inventory_max_rows=20_000,
        history_countries=0.2,
    ),
    "large": Scale(
        name="large",
        rounds=(2021, 2022, 2023, 2024, 2025),
        total_institutions=50_000,
        survey_institutions=(15, 60),
        lots_per_item=7.0,
        xlsx_inventory_max_rows=30_000,
        history_countries=1.0,
    ),
}

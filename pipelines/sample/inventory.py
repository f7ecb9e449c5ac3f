"""Equipment and connectivity inventories (inventory/): one file pair per country x year.

Every institution owns acquisition lots drawn once; the inventory of year Y lists the lots acquired
by Y and not yet retired, so successive years of one country agree. Fully vectorised (numpy/polars):
the large scale writes over ten million rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample import reference
from pipelines.sample.profiles import Profile
from pipelines.sample.registry import students_in
from pipelines.sample.rng import stream
from pipelines.sample.scale import Scale
from pipelines.sample.writers import Sheet, write_xlsx

# item -> (presence at readiness 0, presence at readiness 1, typical quantity per lot)
ITEMS: dict[str, tuple[float, float, float]] = {
    "desktop_pc": (0.7, 1.0, 15),
    "laptop": (0.3, 0.95, 8),
    "tablet": (0.05, 0.6, 10),
    "thin_client": (0.0, 0.25, 6),
    "server": (0.1, 0.8, 1),
    "network_switch": (0.2, 0.9, 2),
    "wifi_access_point": (0.1, 0.95, 3),
    "router": (0.3, 0.9, 1),
    "projector": (0.5, 0.95, 3),
    "interactive_board": (0.05, 0.7, 2),
    "printer_3d": (0.0, 0.5, 1),
    "laser_cutter": (0.0, 0.25, 1),
    "cnc_machine": (0.05, 0.5, 2),
    "cnc_workshop": (0.0, 0.2, 1),
    "welding_station": (0.5, 0.7, 4),
    "lathe": (0.5, 0.6, 3),
    "plc_trainer": (0.05, 0.5, 3),
    "oscilloscope": (0.2, 0.7, 4),
    "robotics_kit": (0.0, 0.45, 3),
    "drone_kit": (0.0, 0.3, 2),
    "steam_lab": (0.0, 0.3, 1),
    "ict_lab": (0.2, 0.8, 1),
    "simulator_welding": (0.0, 0.35, 2),
    "simulator_driving": (0.0, 0.2, 1),
    "vr_headset": (0.0, 0.4, 6),
    "ar_kit": (0.0, 0.3, 3),
}
PER_STUDENT = {"desktop_pc", "laptop", "tablet", "thin_client", "projector"}  # scale with enrolment
FUNDING = ("government", "donors", "private_sector", "own_revenue", "ppp")
RETIRE_AFTER = 12  # years; older lots are written off and leave the inventory
AZE_COMPUTERS_GOV_2021_2024 = 3_368  # laptops and PCs delivered over four years (national report)
AZE_CNC_WORKSHOPS = 11
AZE_MUST_HAVE = (
    "drone_kit",
    "steam_lab",
    "ict_lab",
    "vr_headset",
    "ar_kit",
    "simulator_welding",
    "simulator_driving",
    "printer_3d",
)
CONNECTIVITY = ("fibre", "dsl", "mobile", "satellite", "none")
LOT_SCHEMA = {
    "inst": pl.Int32,
    "item": pl.Int32,
    "year_acquired": pl.Int32,
    "funding": pl.Int32,
    "quantity": pl.Int64,
}


def _lots(profile: Profile, registry: pl.DataFrame, scale: Scale, seed: int) -> pl.DataFrame:
    rng = stream(seed, "lots", profile.iso3)
    codes = list(ITEMS)
    params = np.array(list(ITEMS.values()))
    last = scale.rounds[-1]
    r = np.clip(profile.level(last) + registry["readiness_offset"].to_numpy(), 0.02, 0.98)
    presence = params[:, 0] + np.outer(r, params[:, 1] - params[:, 0])
    inst, item = np.nonzero(rng.random(presence.shape) < presence)
    n_lots = 1 + rng.poisson(scale.lots_per_item, inst.size)
    inst, item = np.repeat(inst, n_lots), np.repeat(item, n_lots)
    opened = registry["opened_year"].to_numpy()[inst]
    year_acquired = np.maximum(last - rng.integers(0, RETIRE_AFTER + 2, inst.size), opened)
    size = np.where(
        np.isin(item, [codes.index(c) for c in PER_STUDENT]),
        registry["students_2025"].to_numpy()[inst] / 450,
        1.0,
    )
    quantity = np.maximum(1, np.round(rng.lognormal(np.log(params[item, 2] * size), 0.5))).astype(np.int64)
    p_funding = np.array([0.55, 0.35 * (1 - r.mean()), 0.08, 0.07, 0.05])
    funding = rng.choice(len(FUNDING), inst.size, p=p_funding / p_funding.sum())
    lots = pl.DataFrame(
        {
            "inst": inst,
            "item": item,
            "year_acquired": year_acquired,
            "funding": funding,
            "quantity": quantity,
        },
        schema=LOT_SCHEMA,
    )
    lots = lots.unique(["inst", "item", "year_acquired", "funding"], keep="first", maintain_order=True)
    return _azerbaijan(lots, registry, rng) if profile.iso3 == "AZE" else lots


def _azerbaijan(lots: pl.DataFrame, registry: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Pin the national report's figures: 3,368 government laptops+PCs 2021-2024, 11 CNC workshops."""
    codes = list(ITEMS)
    computers = [codes.index("laptop"), codes.index("desktop_pc")]
    pinned = (
        pl.col("item").is_in(computers)
        & pl.col("year_acquired").is_between(2021, 2024)
        & (pl.col("funding") == 0)
    ) | (pl.col("item") == codes.index("cnc_workshop"))
    lots = lots.filter(~pinned)
    opened = registry["opened_year"].to_numpy()
    cells = [
        (i, it, y)
        for i in range(registry.height)
        for it in computers
        for y in range(2021, 2025)
        if y >= opened[i]
    ]
    share = rng.dirichlet(np.full(len(cells), 0.6))
    quantities = rng.multinomial(AZE_COMPUTERS_GOV_2021_2024, share)
    keep = quantities > 0
    inst, item, year = (np.array(c)[keep] for c in zip(*cells, strict=True))
    cnc_inst = rng.choice(np.flatnonzero(opened <= 2022), AZE_CNC_WORKSHOPS, replace=False)
    extra_inst = rng.choice(np.flatnonzero(opened <= 2022), len(AZE_MUST_HAVE), replace=False)
    added = pl.DataFrame(
        {
            "inst": np.concatenate([inst, cnc_inst, extra_inst]),
            "item": np.concatenate(
                [
                    item,
                    np.full(AZE_CNC_WORKSHOPS, codes.index("cnc_workshop")),
                    [codes.index(c) for c in AZE_MUST_HAVE],
                ]
            ),
            "year_acquired": np.concatenate(
                [year, rng.integers(2019, 2025, AZE_CNC_WORKSHOPS), np.full(len(AZE_MUST_HAVE), 2023)]
            ),
            "funding": np.concatenate(
                [np.zeros(keep.sum() + AZE_CNC_WORKSHOPS, int), np.ones(len(AZE_MUST_HAVE), int)]
            ),
            "quantity": np.concatenate(
                [quantities[keep], np.ones(AZE_CNC_WORKSHOPS, int), np.full(len(AZE_MUST_HAVE), 2)]
            ),
        },
        schema=LOT_SCHEMA,
    )
    # A must-have lot may duplicate a drawn one (same key): the drawn one wins, the item stays present.
    return pl.concat([lots, added]).unique(
        ["inst", "item", "year_acquired", "funding"], keep="first", maintain_order=True
    )


BOOLEANS = {
    "yes_no": ("yes", "no"),
    "one_zero": ("1", "0"),
    "true_false": ("TRUE", "FALSE"),
    "fr": ("Oui", "Non"),
    "ar": ("نعم", "لا"),
}


def _equipment(
    lots: pl.DataFrame,
    registry: pl.DataFrame,
    r: np.ndarray,
    year: int,
    rng: np.random.Generator,
    item_lang: str,
) -> pl.DataFrame:
    current = lots.filter(
        (pl.col("year_acquired") <= year) & (pl.col("year_acquired") >= year - RETIRE_AFTER)
    )
    current = current.sort("inst", "item", "year_acquired", "funding")
    inst = current["inst"].to_numpy()
    quantity = current["quantity"].to_numpy()
    age = year - current["year_acquired"].to_numpy()
    # Older kit in less ready systems breaks more often (no spare parts or repairers).
    broken = rng.binomial(quantity, np.clip(0.025 * age * (1.4 - r[inst]), 0, 0.9))
    taxonomy = {it.code: it for it in reference.equipment()}
    codes = list(ITEMS)
    item_text = [
        codes[i] if item_lang == "code" else taxonomy[codes[i]].names[item_lang] for i in range(len(codes))
    ]
    funding_text = [
        reference.choice_label("funding_sources", f, "fr") if item_lang == "fr" else f for f in FUNDING
    ]
    return pl.DataFrame(
        {
            "institution_id": registry["institution_id"].gather(inst),
            "institution_name": registry["institution_name"].gather(inst),
            "item": pl.Series(item_text).gather(current["item"]),
            "category": pl.Series([taxonomy[c].category for c in codes]).gather(current["item"]),
            "quantity": quantity,
            "in_working_order": quantity - broken,
            "year_acquired": current["year_acquired"],
            "funding_source": pl.Series(funding_text).gather(current["funding"]),
        }
    )


def _connectivity(
    registry: pl.DataFrame, r: np.ndarray, year: int, rng: np.random.Generator, booleans: tuple[str, str]
) -> pl.DataFrame:
    frame = registry.with_columns(students_in(registry, year)).with_columns(r=pl.Series(r))
    frame = frame.filter(pl.col("opened_year") <= year)
    ri = frame["r"].to_numpy()
    n = frame.height
    score = ri + rng.normal(0, 0.15, n)
    kind = np.select([score > 0.65, score > 0.45, score > 0.25, score > 0.12], [0, 1, 2, 3], default=4)
    speed = rng.lognormal(np.log(np.array([100.0, 12.0, 8.0, 5.0, 1.0])[kind]), 0.5)
    yes, no = booleans
    return pl.DataFrame(
        {
            "institution_id": frame["institution_id"],
            "institution_name": frame["institution_name"],
            "opened_year": frame["opened_year"],
            "connectivity_type": np.array(CONNECTIVITY)[kind],
            "download_mbps": pl.Series(np.round(speed, 1)).scatter(np.flatnonzero(kind == 4), None),
            "has_electricity": np.where(rng.random(n) < 0.55 + 0.45 * ri, yes, no),
            "has_computer_lab": np.where(rng.random(n) < 0.25 + 0.7 * ri, yes, no),
            "students": frame["students"],
        }
    )


def inventory_years(profile: Profile, scale: Scale, seed: int) -> list[int]:
    """The latest year for everyone; the older years only for the countries that keep history."""
    keeps_history = (
        profile.iso3 == "AZE" or stream(seed, "history", profile.iso3).random() < scale.history_countries
    )
    return list(scale.rounds) if keeps_history else [scale.rounds[-1]]


def _sheet(name: str, frame: pl.DataFrame) -> Sheet:
    return Sheet(name, [frame.columns, *[list(row) for row in frame.iter_rows()]])


def write_inventory(
    out_dir: Path, profile: Profile, registry: pl.DataFrame, scale: Scale, seed: int
) -> dict[str, int]:
    habit = stream(seed, "inventory_habit", profile.iso3)
    lang = profile.lang if profile.lang != "ar" else "en"  # Arabic ministries still list kit in English
    item_lang = "code" if profile.iso3 == "AZE" else str(habit.choice(["code", lang]))
    styles = ["yes_no", "one_zero", "true_false"] + ([profile.lang] if profile.lang != "en" else [])
    booleans = BOOLEANS[str(habit.choice(styles))]
    wants_xlsx = profile.iso3 == "AZE" or habit.random() < 0.5
    lots = _lots(profile, registry, scale, seed)
    counts = {"files": 0, "equipment_rows": 0, "connectivity_rows": 0}
    for year in inventory_years(profile, scale, seed):
        rng = stream(seed, "inventory", profile.iso3, year)
        r = np.clip(profile.level(year) + registry["readiness_offset"].to_numpy(), 0.02, 0.98)
        equipment = _equipment(lots, registry, r, year, rng, item_lang)
        connectivity = _connectivity(registry, r, year, rng, booleans)
        stem = out_dir / "inventory" / f"{profile.iso3}_{year}"
        if wants_xlsx and equipment.height <= scale.xlsx_inventory_max_rows:
            write_xlsx(
                stem.with_name(f"{stem.name}_inventory.xlsx"),
                [_sheet("equipment", equipment), _sheet("connectivity", connectivity)],
            )
            counts["files"] += 1
        else:
            french = profile.lang == "fr"
            for name, frame in (("equipment", equipment), ("connectivity", connectivity)):
                path = stem.with_name(f"{stem.name}_{name}.csv")
                path.parent.mkdir(parents=True, exist_ok=True)
                frame.write_csv(path, separator=";" if french else ",", decimal_comma=french)
            counts["files"] += 2
        counts["equipment_rows"] += equipment.height
        counts["connectivity_rows"] += connectivity.height
    return counts

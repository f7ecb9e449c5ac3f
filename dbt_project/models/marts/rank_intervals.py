"""Monte Carlo rank intervals of the index and its dimensions (OECD/JRC Handbook step 7).

The choices perturbed and their alternatives come from the dbt var `uncertainty` (default: weights
times U(0.75, 1.25), normalisation catalogue or min-max, aggregation all arithmetic or all
geometric); the math is pipelines/index/uncertainty.py, numpy, vectorised over draws and units.
Output: the median and 5th / 95th percentile of each unit's rank over the draws that rank it, next to
the nominal rank of the catalogue's own choices. Seeded (`mc_seed`): same inputs, same intervals.
"""

import numpy as np
import pandas as pd

from pipelines.index import uncertainty


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    seed = int(meta.get("mc_seed", 20250924))
    values, nodes, countries = uncertainty.read_inputs(
        dbt.ref("int_indicator_values_normalised"),
        dbt.ref("int_catalogue_nodes_resolved"),
        dbt.ref("countries"),
    )
    if values.empty or nodes.empty:
        result = pd.DataFrame(columns=uncertainty.RANK_COLUMNS)
    else:
        panel, tree = uncertainty.panel_and_tree(values, nodes, countries)
        result = uncertainty.rank_intervals(
            panel,
            tree,
            uncertainty.choices_from_meta(meta),
            int(meta.get("mc_draws", 1000)),
            seed,
            float(meta.get("geometric_zero_floor", 0.1)),
        )
    result = result.astype(
        {
            "iso3": "string",
            "dimension": "string",
            "round": "int32",
            "draws": "int32",
            "median_rank": "float64",
            "rank_p05": "float64",
            "rank_p95": "float64",
            "nominal_rank": "float64",
        }
    )
    result["mc_seed"] = np.int64(seed)
    result["data_label"] = pd.Series([uncertainty.data_label(meta)] * len(result), dtype="string")
    return result

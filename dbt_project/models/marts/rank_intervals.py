"""Monte Carlo rank intervals of the index and its dimensions (OECD/JRC Handbook step 7).

The choices perturbed and their alternatives come from the dbt var `uncertainty` (default: weights
times U(0.75, 1.25), normalisation catalogue or min-max, aggregation all arithmetic or all
geometric); the math is pipelines/index/uncertainty.py, numpy, vectorised over draws and units.
Output: the median and 5th / 95th percentile of each unit's rank over the draws that rank it, next to
the nominal rank of the catalogue's own choices. Seeded (`mc_seed`): same inputs, same intervals.
"""

from pipelines.portability import uncertainty_marts


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt passes a config key to a python model only when the model reads it in a statement of its own
    meta = dbt.config.get("meta") or {}
    # the inputs go through an engine-neutral reader (DuckDB relation, Spark DataFrame, Arrow)
    return uncertainty_marts.rank_intervals(
        dbt.ref("int_indicator_values_normalised"),
        dbt.ref("int_catalogue_nodes_resolved"),
        dbt.ref("countries"),
        meta,
    )

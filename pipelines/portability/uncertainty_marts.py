"""The two uncertainty marts from the tables a build made, whatever engine made them.

marts.rank_intervals and marts.sensitivity_indices are numpy (pipelines/index/uncertainty.py), not
SQL. On DuckDB they are dbt python models that call these functions with dbt.ref(...) relations; on
an engine where dbt cannot run python models next to the data (dbt-spark outside Databricks) the
portability run calls the same functions with that engine's tables (Spark DataFrames, or pyarrow
Tables read from Parquet). The inputs are read through uncertainty.read_inputs, which takes any of
them, so both paths compute from the same columns with the same code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.index import uncertainty

RANK_TYPES = {
    "iso3": "string",
    "dimension": "string",
    "round": "int32",
    "draws": "int32",
    "median_rank": "float64",
    "rank_p05": "float64",
    "rank_p95": "float64",
    "nominal_rank": "float64",
}
SOBOL_TYPES = {
    "round": "int32",
    "dimension": "string",
    "choice": "string",
    "first_order": "float64",
    "first_order_conf": "float64",
    "total": "float64",
    "total_conf": "float64",
    "evaluations": "int32",
    "output": "string",
}


def rank_intervals(values, nodes, countries, meta: dict) -> pd.DataFrame:
    """Monte Carlo rank intervals; `meta` is the model's meta (dbt vars rendered as text)."""
    seed = int(meta.get("mc_seed", 20250924))
    values, nodes, countries = uncertainty.read_inputs(values, nodes, countries)
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
    result = result.astype(RANK_TYPES)
    result["mc_seed"] = np.int64(seed)
    result["data_label"] = pd.Series([uncertainty.data_label(meta)] * len(result), dtype="string")
    return result


def sensitivity_indices(values, nodes, countries, meta: dict) -> pd.DataFrame:
    """First-order and total Sobol indices of the perturbed choices."""
    values, nodes, countries = uncertainty.read_inputs(values, nodes, countries)
    if values.empty or nodes.empty:
        result = pd.DataFrame(columns=uncertainty.SOBOL_COLUMNS)
    else:
        panel, tree = uncertainty.panel_and_tree(values, nodes, countries)
        result = uncertainty.sobol_indices(
            panel,
            tree,
            uncertainty.choices_from_meta(meta),
            int(meta.get("sobol_base_samples", 128)),
            int(meta.get("mc_seed", 20250924)),
            float(meta.get("geometric_zero_floor", 0.1)),
        )
    result = result.astype(SOBOL_TYPES)
    result["data_label"] = pd.Series([uncertainty.data_label(meta)] * len(result), dtype="string")
    return result

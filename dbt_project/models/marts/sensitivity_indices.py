"""Variance-based sensitivity of the ranks to each uncertain choice (COINr get_sensitivity with
SA_type "SA"; Saltelli sampling and Jansen/Saltelli estimators from SALib): first-order and total
Sobol indices per round, dimension (root and its children) and perturbed choice, for the mean
absolute rank shift against the nominal ranks. Choices: dbt var `uncertainty`, as
marts.rank_intervals; base samples N: var `sobol_base_samples` (0 switches the analysis off); cost
N (k + 2) index evaluations for k perturbed choices. Math: pipelines/index/uncertainty.py."""

import pandas as pd

from pipelines.index import uncertainty


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    values, nodes, countries = uncertainty.read_inputs(
        dbt.ref("int_indicator_values_normalised"),
        dbt.ref("int_catalogue_nodes_resolved"),
        dbt.ref("countries"),
    )
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
    result = result.astype(
        {
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
    )
    result["data_label"] = pd.Series([uncertainty.data_label(meta)] * len(result), dtype="string")
    return result

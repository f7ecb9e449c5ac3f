"""Variance-based sensitivity of the ranks to each uncertain choice (COINr get_sensitivity with
SA_type "SA"; Saltelli sampling and Jansen/Saltelli estimators from SALib): first-order and total
Sobol indices per round, dimension (root and its children) and perturbed choice, for the mean
absolute rank shift against the nominal ranks. Choices: dbt var `uncertainty`, as
marts.rank_intervals; base samples N: var `sobol_base_samples` (0 switches the analysis off); cost
N (k + 2) index evaluations for k perturbed choices. Math: pipelines/index/uncertainty.py."""

from pipelines.portability import uncertainty_marts


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt passes a config key to a python model only when the model reads it in a statement of its own
    meta = dbt.config.get("meta") or {}
    # the inputs go through an engine-neutral reader (DuckDB relation, Spark DataFrame, Arrow)
    return uncertainty_marts.sensitivity_indices(
        dbt.ref("int_indicator_values_normalised"),
        dbt.ref("int_catalogue_nodes_resolved"),
        dbt.ref("countries"),
        meta,
    )

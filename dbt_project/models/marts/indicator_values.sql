-- Every step of every indicator value, country and round side by side: raw -> denominated ->
-- imputed -> treated -> normalised score, with the files and batches the value came from.
with

normalised as (
    select * from {{ ref('int_indicator_values_normalised') }}
),

final as (
    select
        iso3,
        cast(round as integer) as round,
        indicator,
        raw_value,
        denominated_value,
        imputed_value,
        imputation_method,
        cast(is_imputed as boolean) as is_imputed,
        treated_value,
        treatment,
        normalised_score,
        source,
        quality_flag,
        normalisation,
        missing_reason,
        cast(n_observations as bigint) as n_observations,
        lineage_files,
        lineage_batches,
        cast(score_bounded as boolean) as score_bounded,
        {{ data_label() }} as data_label
    from normalised
)

select * from final

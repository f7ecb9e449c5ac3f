{#- Every country of the countries seed x every round present in the scores x the root and each of
    its children has exactly one row (score or NULL with a missing_reason). -#}
{% test gap_indices_complete_grid(model) %}
with
expected as (
    select countries.iso3, rounds.round, nodes.code as dimension
    from {{ ref('countries') }} as countries
    cross join (select distinct round from {{ ref('int_indicator_values_imputed') }}) as rounds
    cross join (
        select code from {{ ref('int_catalogue_nodes_resolved') }}
        where level = 0 or parent in (select code from {{ ref('int_catalogue_nodes_resolved') }} where level = 0)
    ) as nodes
),
missing as (
    select expected.*, 'row missing' as problem
    from expected
    left join {{ model }} as actual
        on actual.iso3 = upper(trim(expected.iso3)) and actual.round = expected.round and actual.dimension = expected.dimension
    where actual.iso3 is null
),
unexplained as (
    select iso3, round, dimension, 'NULL score without missing_reason' as problem
    from {{ model }}
    where score is null and missing_reason is null
)
select * from missing
union all
select * from unexplained
{% endtest %}

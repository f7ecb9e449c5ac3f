-- Step 2: raw values divided by the catalogue's denominator series and multiplied by `scale`
-- (e.g. 100 for "per 100 students"). A missing or zero denominator gives NULL and a quality flag,
-- never a silent zero.
with

values_ as (
    select * from {{ ref('int_indicator_values_unioned') }}
),

catalogue as (
    select code, denominator, scale from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
),

denominators as (
    select * from {{ ref('int_denominators_derived') }}
),

denominated as (
    select
        values_.iso3,
        values_.round,
        values_.indicator,
        values_.raw_value,
        catalogue.denominator,
        denominators.value as denominator_value,
        catalogue.scale,
        case
            when catalogue.denominator is null then values_.raw_value * catalogue.scale
            when denominators.value <> 0 then values_.raw_value / denominators.value * catalogue.scale
        end as denominated_value,
        case
            when catalogue.denominator is null then null
            when denominators.value is null then 'denominator_missing'
            when denominators.value = 0 then 'denominator_zero'
        end as denominator_flag,
        values_.source,
        values_.n_observations,
        {{ list_union(
            'values_.lineage_files', 'coalesce(denominators.lineage_files, ' ~ empty_text_list() ~ ')'
        ) }} as lineage_files,
        {{ list_union(
            'values_.lineage_batches', 'coalesce(denominators.lineage_batches, ' ~ empty_text_list() ~ ')'
        ) }} as lineage_batches
    from values_
    inner join catalogue on catalogue.code = values_.indicator
    left join denominators
        on denominators.iso3 = values_.iso3
        and denominators.round = values_.round
        and lower(denominators.denominator) = lower(catalogue.denominator)
)

select * from denominated

-- Official series mapped onto catalogue indicators: a series whose code equals a leaf's `code`, or
-- its `source_code` (e.g. World Bank IT.NET.USER.ZS), feeds that leaf. Works for any catalogue,
-- including one made of official series only. An exact code match wins over a source_code match.
with

observations as (
    select * from {{ ref('stg_raw__official_observations') }}
    where value is not null
),

leaves as (
    select code, source_code from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
),

matched as (
    select
        observations.iso3,
        observations.round,
        leaves.code as indicator,
        observations.value as raw_value,
        'official:' || coalesce(observations.publisher, observations.series_code) as source,
        case when lower(observations.series_code) = lower(leaves.code) then 0 else 1 end as match_rank,
        {{ list_of('observations.source_file') }} as lineage_files,
        {{ list_of('observations.batch_id') }} as lineage_batches
    from observations
    inner join leaves
        on lower(observations.series_code) = lower(leaves.code)
        or lower(observations.series_code) = lower(leaves.source_code)
),

mapped as (
    select
        iso3, round, indicator, raw_value, source,
        0 as source_priority,
        1 as n_observations,
        lineage_files, lineage_batches
    from matched
    qualify row_number() over (partition by iso3, round, indicator order by match_rank) = 1
)

select * from mapped

-- Step 1 of the index: every raw indicator value, one per country, round and catalogue leaf, from
-- the per-source derivations. Only leaves of the catalogue keep values; when two sources give the
-- same leaf, the lower source_priority wins (official 0, registers and inventories 1, survey 2).
with

leaves as (
    select code from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
),

candidates as (
    select * from {{ ref('int_official_indicators_mapped') }}
    union all
    select * from {{ ref('int_inventory_indicators_derived') }}
    union all
    select * from {{ ref('int_survey_indicators_derived') }}
),

unioned as (
    select candidates.*
    from candidates
    inner join leaves on leaves.code = candidates.indicator
    qualify
        row_number() over (
            partition by candidates.iso3, candidates.round, candidates.indicator
            order by candidates.source_priority, candidates.source
        ) = 1
)

select * from unioned

-- Reference values per round and node: the frontier (best score), median, mean and minimum over
-- all members (group_type oic), each OIC geographical group and each income group.
with

scores as (
    select * from {{ ref('scores') }}
),

grouped as (
    select round, node, 'oic' as group_type, 'OIC' as group_value, score from scores
    union all
    select round, node, 'oic_group', oic_group, score from scores where oic_group is not null
    union all
    select round, node, 'income_group', income_group, score from scores where income_group is not null
),

summarised as (
    select
        round, node, group_type, group_value,
        max(score) as frontier,
        median(score) as median,
        avg(score) as mean,
        min(score) as min,
        count(score) as n_countries
    from grouped
    group by all
),

unpivoted as (
    select round, node, group_type, group_value, 'frontier' as benchmark, frontier as value, n_countries from summarised
    union all
    select round, node, group_type, group_value, 'median', median, n_countries from summarised
    union all
    select round, node, group_type, group_value, 'mean', mean, n_countries from summarised
    union all
    select round, node, group_type, group_value, 'min', min, n_countries from summarised
),

final as (
    select
        cast(round as integer) as round,
        node,
        group_type,
        group_value,
        benchmark,
        value,
        cast(n_countries as integer) as n_countries,
        {{ data_label() }} as data_label
    from unpivoted
)

select * from final

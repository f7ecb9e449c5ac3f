-- Reference values per round and node: the frontier (best score), median, mean and minimum over
-- all units (group_type `oic`, labelled 'OIC' when every unit is an OIC member with its geographical
-- group, else 'All units') and within each comparison group: every group column of the countries
-- seed (var `comparison_groups`; default all but wb_region, the World Bank region of the 57-member
-- list) - oic_group and income_group for the members, any column a user's unit list brings.
{% set countries_relation = ref('countries') -%}
{% set present = catalogue_columns(countries_relation) -%}
{% set oic_group_expr = blank_to_null(catalogue_column(present, 'oic_group', 'null')) -%}
{% set groups = var('comparison_groups', none) -%}
{% if groups is none -%}
{% set groups = [] -%}
{% for name in country_group_columns(present) if name != 'wb_region' %}{% do groups.append(name) %}{% endfor -%}
{% endif -%}
with

scores as (
    select iso3, round, node, score from {{ ref('scores') }}
),

memberships as (
    {{ country_memberships(countries_relation, groups) }}
),

all_units_label as (
    -- 'OIC' only when the list is OIC members: every unit has one of the three geographical groups
    select
        case
            when count(*) > 0
                and count(*) = count(*) filter (
                    where {{ oic_group_expr }} in ('Arab', 'African', 'Asian')
                )
                then 'OIC'
            else 'All units'
        end as label
    from {{ countries_relation }}
),

grouped as (
    select
        round,
        node,
        'oic' as group_type,
        (select all_units_label.label from all_units_label) as group_value,
        score
    from scores
    union all
    select scores.round, scores.node, memberships.group_column, memberships.group_value, scores.score
    from scores
    inner join memberships on memberships.iso3 = scores.iso3
    where memberships.group_value is not null
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
    select round, node, group_type, group_value, 'median' as benchmark, median as value, n_countries from summarised
    union all
    select round, node, group_type, group_value, 'mean' as benchmark, mean as value, n_countries from summarised
    union all
    select round, node, group_type, group_value, 'min' as benchmark, min as value, n_countries from summarised
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

-- Scores of every node of the index tree (indicators, sub-dimensions, dimensions, index) per
-- country and round, with ranks among all members and within the OIC group and income group.
with

scores as (
    select * from {{ ref('int_node_scores_aggregated') }}
),

countries as (
    select upper(trim(iso3)) as iso3, oic_group, income_group from {{ ref('countries') }}
),

ranked as (
    select
        scores.iso3,
        cast(scores.round as integer) as round,
        scores.node,
        cast(scores.level as integer) as level,
        scores.node_type,
        scores.score,
        scores.coverage,
        scores.missing_reason,
        cast(case when scores.score is not null then rank() over (
            partition by scores.round, scores.node order by scores.score desc nulls last
        ) end as integer) as rank,
        cast(case when scores.score is not null then rank() over (
            partition by scores.round, scores.node, countries.oic_group order by scores.score desc nulls last
        ) end as integer) as rank_in_oic_group,
        cast(case when scores.score is not null then rank() over (
            partition by scores.round, scores.node, countries.income_group order by scores.score desc nulls last
        ) end as integer) as rank_in_income_group,
        scores.parent,
        scores.missing_children,
        countries.oic_group,
        countries.income_group,
        {{ data_label() }} as data_label
    from scores
    inner join countries on countries.iso3 = scores.iso3
)

select * from ranked

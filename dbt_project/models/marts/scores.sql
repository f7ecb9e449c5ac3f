-- Scores of every node of the index tree (indicators, sub-dimensions, dimensions, index) per unit
-- and round, with ranks among all units and within the OIC group and income group (NULL for a unit
-- without that group). score_bounded: the node's score lies in 0-100 (every method below it is
-- bounded); coverage_note says when a score uses only some of its children.
{% set countries_relation = ref('countries') -%}
{% set present = catalogue_columns(countries_relation) -%}
with

scores as (
    select * from {{ ref('int_node_scores_aggregated') }}
),

countries as (
    select
        upper(trim(cast(iso3 as {{ text_type() }}))) as iso3,
        {{ blank_to_null(catalogue_column(present, 'oic_group', 'null')) }} as oic_group,
        {{ blank_to_null(catalogue_column(present, 'income_group', 'null')) }} as income_group
    from {{ countries_relation }}
),

ranked as (
    -- ranked on the score rounded to 1e-9 points: two units with the same data tie, whatever the
    -- last bits an engine's summation order leaves (DuckDB's parallel sums alone flip such ties
    -- from one build to the next: 70.6388888888889 vs 70.63888888888889)
    select
        scores.iso3,
        cast(scores.round as integer) as round,
        scores.node,
        cast(scores.level as integer) as level,
        scores.node_type,
        scores.score,
        scores.coverage,
        scores.missing_reason,
        {{ score_rank('scores.score', 'scores.round, scores.node') }} as rank,
        {{ score_rank('scores.score', 'scores.round, scores.node', 'countries.oic_group') }} as rank_in_oic_group,
        {{ score_rank('scores.score', 'scores.round, scores.node', 'countries.income_group') }} as rank_in_income_group,
        scores.parent,
        scores.missing_children,
        scores.coverage_note,
        cast(scores.score_bounded as boolean) as score_bounded,
        countries.oic_group,
        countries.income_group,
        {{ data_label() }} as data_label
    from scores
    inner join countries on countries.iso3 = scores.iso3
)

select * from ranked

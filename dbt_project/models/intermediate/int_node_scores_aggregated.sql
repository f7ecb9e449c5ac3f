-- Step 6: scores of every node of the catalogue tree, bottom-up, one level at a time from
-- `max_tree_depth` to the root (a Jinja loop: any depth up to the limit, no recursion).
-- Each internal node aggregates its children's scores with its own method (arithmetic, geometric or
-- harmonic), weights renormalised over the children present. coverage = weight present / weight of
-- all children; below the node's min_coverage the node is NULL with a missing_reason.
-- Zero rule: geometric and harmonic means replace a child score of exactly 0 by
-- `geometric_zero_floor` points (0.1); strictly positive scores are never modified.
{% set max_depth = var('max_tree_depth', 10) | int -%}
{% set eps = var('geometric_zero_floor', 0.1) -%}
with

nodes as (
    select code, parent, level, node_type, is_leaf, weight, aggregation, min_coverage
    from {{ ref('int_catalogue_nodes_resolved') }}
    where level is not null
),

leaf_scores as (
    select
        normalised.iso3,
        normalised.round,
        normalised.indicator as node,
        nodes.level,
        normalised.normalised_score as score,
        case when normalised.normalised_score is null then 0.0 else 1.0 end as coverage,
        normalised.missing_reason,
        cast(null as varchar) as missing_children,
        cast(null as integer) as n_children,
        cast(null as integer) as n_children_present
    from {{ ref('int_indicator_values_normalised') }} as normalised
    inner join nodes on nodes.code = normalised.indicator
),

{%- for depth in range(max_depth, -1, -1) %}

level_{{ depth }} as (
    select * from leaf_scores where level = {{ depth }}
    {%- if depth < max_depth %}
    union all
    select
        iso3,
        round,
        node,
        {{ depth }} as level,
        case
            when w_present > 0 and coverage >= min_coverage - 1e-9 then
                case aggregation
                    when 'geometric' then exp(w_log_sum / w_present)
                    when 'harmonic' then w_present / w_inverse_sum
                    else w_sum / w_present
                end
        end as score,
        coverage,
        case
            when coalesce(w_present, 0) = 0 then 'no data: no child has a score (' || missing_children || ')'
            when coverage < min_coverage - 1e-9 then
                'coverage ' || printf('%.2f', coverage) || ' below minimum ' || printf('%.2f', min_coverage)
                || ' (missing: ' || missing_children || ')'
        end as missing_reason,
        missing_children,
        n_children,
        n_children_present
    from (
        select
            children.iso3,
            children.round,
            parents.code as node,
            any_value(parents.aggregation) as aggregation,
            any_value(parents.min_coverage) as min_coverage,
            sum(child_nodes.weight) filter (where children.score is not null) as w_present,
            coalesce(sum(child_nodes.weight) filter (where children.score is not null), 0)
                / nullif(sum(child_nodes.weight), 0) as coverage,
            sum(child_nodes.weight * children.score) filter (where children.score is not null) as w_sum,
            sum(child_nodes.weight * ln(case when children.score = 0 then {{ eps }} else children.score end))
                filter (where children.score is not null) as w_log_sum,
            sum(child_nodes.weight / case when children.score = 0 then {{ eps }} else children.score end)
                filter (where children.score is not null) as w_inverse_sum,
            string_agg(child_nodes.code, ', ' order by child_nodes.code) filter (where children.score is null) as missing_children,
            cast(count(*) as integer) as n_children,
            cast(count(children.score) as integer) as n_children_present
        from level_{{ depth + 1 }} as children
        inner join nodes as child_nodes on child_nodes.code = children.node
        inner join nodes as parents on parents.code = child_nodes.parent
        where not parents.is_leaf
        group by children.iso3, children.round, parents.code
    ) as aggregated
    {%- endif %}
),
{%- endfor %}

all_levels as (
    {%- for depth in range(0, max_depth + 1) %}
    select * from level_{{ depth }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        all_levels.iso3,
        all_levels.round,
        all_levels.node,
        all_levels.level,
        nodes.node_type,
        nodes.parent,
        all_levels.score,
        all_levels.coverage,
        all_levels.missing_reason,
        all_levels.missing_children,
        all_levels.n_children,
        all_levels.n_children_present
    from all_levels
    inner join nodes on nodes.code = all_levels.node
)

select * from final

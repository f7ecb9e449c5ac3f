-- Step 6: scores of every node of the catalogue tree, bottom-up, one level at a time from
-- `max_tree_depth` to the root (a Jinja loop: any depth up to the limit, no recursion).
-- Each internal node aggregates its children's scores with its own method, weights renormalised
-- over the children present (a zero-weight child is carried but does not count):
--   arithmetic      sum(w s) / W
--   geometric       exp(sum(w ln s') / W)
--   harmonic        W / sum(w / s')
--   generalised:<p> (sum(w s'^p) / W)^(1/p), the power mean (p = 1, 0, -1: the three above)
--   copeland        COINr a_copeland: for each pair of units, the weight share of the children on
--                   which the unit is better (ties count half); +1 above 1/2, -1 below, summed over
--                   the other units scored at that node in the round (-(n - 1) .. n - 1)
-- coverage = weight present / weight of all children; below the node's min_coverage the node is
-- NULL with a missing_reason. Zero rule (monotonic): geometric, harmonic and power means with p <= 0
-- use s' = max(s, `geometric_zero_floor`) (0.1 points), so no score below the floor ranks above a
-- lower one; scores at or above the floor are used as they are.
{% set max_depth = var('max_tree_depth', 10) | int -%}
{% set eps = var('geometric_zero_floor', 0.1) -%}
{% set ctes = [] -%}

{% set sql %}
    select code, parent, level, node_type, is_leaf, weight, aggregation_method, aggregation_p, min_coverage
    from {{ ref('int_catalogue_nodes_resolved') }}
    where level is not null
{%- endset %}{% do ctes.append(('nodes', sql)) %}

{% set sql %}
    select
        normalised.iso3,
        normalised.round,
        normalised.indicator as node,
        nodes.level,
        normalised.normalised_score as score,
        case when normalised.normalised_score is null then 0.0 else 1.0 end as coverage,
        normalised.missing_reason,
        cast(null as {{ text_type() }}) as missing_children,
        cast(null as integer) as n_children,
        cast(null as integer) as n_children_present
    from {{ ref('int_indicator_values_normalised') }} as normalised
    inner join nodes on nodes.code = normalised.indicator
{%- endset %}{% do ctes.append(('leaf_scores', sql)) %}

{%- for depth in range(max_depth, -1, -1) %}
{%- if depth < max_depth %}

{% set sql %}
    select
        children.iso3,
        children.round,
        children.node as child,
        children.score,
        child_nodes.weight,
        parents.code as node,
        parents.aggregation_method,
        parents.aggregation_p,
        parents.min_coverage,
        greatest(children.score, {{ eps }}) as floored
    from level_{{ depth + 1 }} as children
    inner join nodes as child_nodes on child_nodes.code = children.node
    inner join nodes as parents on parents.code = child_nodes.parent
    where not parents.is_leaf
{%- endset %}{% do ctes.append(('children_' ~ depth, sql)) %}

{% set sql %}
    select
        iso3,
        round,
        node,
        any_value(aggregation_method) as aggregation_method,
        any_value(aggregation_p) as aggregation_p,
        any_value(min_coverage) as min_coverage,
        sum(weight) filter (where score is not null) as w_present,
        coalesce(sum(weight) filter (where score is not null), 0) / nullif(sum(weight), 0) as coverage,
        sum(weight * score) filter (where score is not null) as w_sum,
        sum(weight * ln(floored)) filter (where score is not null) as w_log_sum,
        sum(weight / floored) filter (where score is not null) as w_inverse_sum,
        sum(weight * power(case when aggregation_p > 0 then greatest(score, 0.0) else floored end, aggregation_p))
            filter (where score is not null and aggregation_method = 'generalised' and aggregation_p <> 0) as w_power_sum,
        {{ ordered_string_agg('child', "', '", 'child') }} filter (where score is null) as missing_children,
        cast(count(*) as integer) as n_children,
        cast(count(score) as integer) as n_children_present
    from children_{{ depth }}
    group by iso3, round, node
{%- endset %}{% do ctes.append(('aggregated_' ~ depth, sql)) %}

{% set sql %}
    select *, w_present > 0 and coverage >= min_coverage - 1e-9 as qualifies
    from aggregated_{{ depth }}
{%- endset %}{% do ctes.append(('qualified_' ~ depth, sql)) %}

{% set sql %}
    -- pairwise outranking among the units that qualify at a Copeland node: the weight of the
    -- children on which the unit is better, ties counting half, over the children both have
    select
        a.iso3, a.round, a.node,
        coalesce(sum(a.weight) filter (where a.score > b.score), 0)
            + 0.5 * coalesce(sum(a.weight) filter (where a.score = b.score), 0) as better,
        sum(a.weight) as shared_weight
    from children_{{ depth }} as a
    inner join children_{{ depth }} as b
        on b.round = a.round and b.node = a.node and b.child = a.child and b.iso3 <> a.iso3
    inner join qualified_{{ depth }} as qa on qa.iso3 = a.iso3 and qa.round = a.round and qa.node = a.node
    inner join qualified_{{ depth }} as qb on qb.iso3 = b.iso3 and qb.round = b.round and qb.node = b.node
    where a.aggregation_method = 'copeland' and a.score is not null and b.score is not null
        and qa.qualifies and qb.qualifies
    group by a.iso3, b.iso3, a.round, a.node
{%- endset %}{% do ctes.append(('copeland_pairs_' ~ depth, sql)) %}

{% set sql %}
    -- +1 per unit outranked (share above 1/2), -1 per unit outranking; a share within 1e-12 of 1/2
    -- is a tie (weights like 1/3 do not sum exactly)
    select
        iso3, round, node,
        sum(case
            when shared_weight <= 0 then 0
            when better / shared_weight > 0.5 + 1e-12 then 1
            when better / shared_weight < 0.5 - 1e-12 then -1
            else 0
        end) as copeland_score
    from copeland_pairs_{{ depth }}
    group by iso3, round, node
{%- endset %}{% do ctes.append(('copeland_' ~ depth, sql)) %}
{%- endif %}

{% set sql %}
    select * from leaf_scores where level = {{ depth }}
    {%- if depth < max_depth %}
    union all
    select
        q.iso3,
        q.round,
        q.node,
        {{ depth }} as level,
        case
            when q.qualifies then
                case q.aggregation_method
                    when 'geometric' then exp(q.w_log_sum / q.w_present)
                    when 'harmonic' then q.w_present / q.w_inverse_sum
                    when 'generalised' then
                        case when q.aggregation_p = 0 then exp(q.w_log_sum / q.w_present)
                        else power(q.w_power_sum / q.w_present, 1.0 / q.aggregation_p) end
                    when 'copeland' then coalesce(cast(c.copeland_score as double), 0.0)
                    else q.w_sum / q.w_present
                end
        end as score,
        q.coverage,
        case
            when coalesce(q.w_present, 0) = 0 and q.missing_children is null then 'no data: only zero-weight children have a score'
            when coalesce(q.w_present, 0) = 0 then 'no data: no child has a score (' || q.missing_children || ')'
            when q.coverage < q.min_coverage - 1e-9 then
                'coverage ' || {{ format_2dp('q.coverage') }} || ' below minimum ' || {{ format_2dp('q.min_coverage') }}
                || ' (missing: ' || q.missing_children || ')'
        end as missing_reason,
        q.missing_children,
        q.n_children,
        q.n_children_present
    from qualified_{{ depth }} as q
    left join copeland_{{ depth }} as c on c.iso3 = q.iso3 and c.round = q.round and c.node = q.node
    {%- endif %}
{%- endset %}{% do ctes.append(('level_' ~ depth, sql)) %}
{%- endfor %}

{% set sql %}
    {%- for depth in range(0, max_depth + 1) %}
    select * from level_{{ depth }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endset %}{% do ctes.append(('all_levels', sql)) %}

{% set sql %}
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
        all_levels.n_children_present,
        -- a score computed from some of the children only says so (a geometric index over four of
        -- its five dimensions is not the same index)
        case
            when all_levels.score is not null and all_levels.missing_children is not null then
                'computed from ' || all_levels.n_children_present || ' of ' || all_levels.n_children
                || ' children (missing: ' || all_levels.missing_children || ')'
        end as coverage_note,
        catalogue.score_bounded
    from all_levels
    inner join nodes on nodes.code = all_levels.node
    inner join {{ ref('int_catalogue_nodes_resolved') }} as catalogue on catalogue.code = all_levels.node
{%- endset %}{% do ctes.append(('final', sql)) %}

{{ with_ctes(ctes) }}
select * from final

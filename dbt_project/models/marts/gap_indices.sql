-- The gap index and its dimensions (the root node and its children) for every country x round,
-- NULL with a missing_reason where the data do not support a score. gap = 100 - score; the
-- gap_to_* columns are benchmark - score (positive = behind the benchmark).
with

scores as (
    select * from {{ ref('scores') }}
),

root as (
    select code from {{ ref('int_catalogue_nodes_resolved') }}
    where level = 0
),

dimensions as (
    select scores.*
    from scores
    inner join {{ ref('int_catalogue_nodes_resolved') }} as nodes on nodes.code = scores.node
    where nodes.level = 0 or nodes.parent in (select root.code from root)
),

targets as (
    select upper(trim(iso3)) as iso3, trim(node) as node, cast(target_score as double) as target_score
    from {{ ref('national_targets') }}
),

benchmarked as (
    select
        *,
        max(score) over (partition by round, node) as frontier_score,
        median(score) over (partition by round, node) as oic_median,
        case
            when oic_group is not null then median(score) over (partition by round, node, oic_group)
        end as group_median,
        -- previous available round: the latest earlier round with a score
        max(case when score is not null then round end) over (
            partition by iso3, node order by round rows between unbounded preceding and 1 preceding
        ) as previous_round
    from dimensions
),

final as (
    select
        benchmarked.iso3,
        benchmarked.round,
        benchmarked.node as dimension,
        benchmarked.score,
        100.0 - benchmarked.score as gap,
        benchmarked.rank,
        benchmarked.coverage,
        benchmarked.missing_reason,
        benchmarked.frontier_score - benchmarked.score as gap_to_frontier,
        benchmarked.oic_median - benchmarked.score as gap_to_oic_median,
        benchmarked.group_median - benchmarked.score as gap_to_group_median,
        targets.target_score - benchmarked.score as gap_to_target,
        benchmarked.score - previous.score as change_since_previous,
        benchmarked.previous_round,
        targets.target_score,
        benchmarked.rank_in_oic_group,
        benchmarked.rank_in_income_group,
        benchmarked.oic_group,
        benchmarked.income_group,
        benchmarked.coverage_note,
        benchmarked.score_bounded,
        benchmarked.data_label
    from benchmarked
    left join targets on targets.iso3 = benchmarked.iso3 and targets.node = benchmarked.node
    left join dimensions as previous
        on previous.iso3 = benchmarked.iso3
        and previous.node = benchmarked.node
        and previous.round = benchmarked.previous_round
)

select * from final

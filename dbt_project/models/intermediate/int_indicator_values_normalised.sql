-- Step 5: indicator scores on 0-100, higher = better (direction -1 flips), by the catalogue's
-- method. y is the treated value; L, U, T are the catalogue's lower, upper and target in the
-- indicator's own unit, passed through the same ln(1 + x) as the values (log_applications).
--   minmax     100 (y - min) / (max - min), min and max over the pooled panel of all rounds
--   goalposts  100 (y - L) / (U - L), capped to 0-100; fixed across rounds (U - y for direction -1)
--   zscore     50 + 10 z, z over the pooled panel, capped to 0-100
--   target     100 (y - L) / (T - L) capped (L defaults to the pooled min); direction -1: (U - y) / (U - T)
--   frontier   World Bank distance to frontier 100 (worst - y) / (worst - frontier), capped; worst and
--              frontier are L and U (swapped for direction -1), the pooled min and max where not given
--   rank       100 x percent rank within the round (ties share the lower rank)
-- A pool without spread (max = min, sd = 0, a single country in the round) scores 50 and is flagged.
with

treated as (
    select * from {{ ref('int_indicator_values_treated') }}
),

catalogue as (
    select code, direction, normalisation, lower_bound, upper_bound, target
    from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
),

pooled as (
    select
        indicator,
        min(treated_value) as pool_min,
        max(treated_value) as pool_max,
        avg(treated_value) as pool_mean,
        stddev_samp(treated_value) as pool_sd
    from treated
    group by indicator
),

bounded as (
    select
        treated.*,
        catalogue.direction,
        catalogue.normalisation,
        pooled.pool_min,
        pooled.pool_max,
        pooled.pool_mean,
        pooled.pool_sd,
        {%- for bound, column in [('lower_t', 'lower_bound'), ('upper_t', 'upper_bound'), ('target_t', 'target')] %}
        case treated.log_applications
            when 0 then catalogue.{{ column }}
            when 1 then {{ safe_log('catalogue.' ~ column) }}
            else {{ safe_log(safe_log('catalogue.' ~ column)) }}
        end as {{ bound }},
        {%- endfor %}
        -- ranked among the values present only (NULLs in their own partition)
        percent_rank() over (
            partition by treated.indicator, treated.round, treated.treated_value is null
            order by treated.treated_value * catalogue.direction
        ) as pct_rank,
        count(treated.treated_value) over (partition by treated.indicator, treated.round) as n_in_round
    from treated
    inner join catalogue on catalogue.code = treated.indicator
    inner join pooled on pooled.indicator = treated.indicator
),

parameters as (
    select
        *,
        -- the two anchors of a linear score: `zero_at` scores 0, `full_at` scores 100
        case normalisation
            when 'minmax' then case when direction = 1 then pool_min else pool_max end
            when 'goalposts' then case when direction = 1 then coalesce(lower_t, pool_min) else coalesce(upper_t, pool_max) end
            when 'target' then case when direction = 1 then coalesce(lower_t, pool_min) else coalesce(upper_t, pool_max) end
            when 'frontier' then case when direction = 1 then coalesce(lower_t, pool_min) else coalesce(upper_t, pool_max) end
        end as zero_at,
        case normalisation
            when 'minmax' then case when direction = 1 then pool_max else pool_min end
            when 'goalposts' then case when direction = 1 then coalesce(upper_t, pool_max) else coalesce(lower_t, pool_min) end
            when 'target' then target_t
            when 'frontier' then case when direction = 1 then coalesce(upper_t, pool_max) else coalesce(lower_t, pool_min) end
        end as full_at
    from bounded
),

normalised as (
    select
        *,
        case
            when treated_value is null then null
            when normalisation = 'zscore' then
                case
                    when coalesce(pool_sd, 0) = 0 then 50.0
                    else greatest(0.0, least(100.0, 50.0 + 10.0 * direction * (treated_value - pool_mean) / pool_sd))
                end
            when normalisation = 'rank' then
                case when n_in_round <= 1 then 50.0 else 100.0 * pct_rank end
            when full_at is null or zero_at is null then null
            when full_at = zero_at then 50.0
            else greatest(0.0, least(100.0, 100.0 * (treated_value - zero_at) / (full_at - zero_at)))
        end as normalised_score,
        case
            when treated_value is null then null
            when normalisation = 'zscore' and coalesce(pool_sd, 0) = 0 then 'no_spread'
            when normalisation = 'rank' and n_in_round <= 1 then 'no_spread'
            when normalisation in ('minmax', 'goalposts', 'target', 'frontier') and full_at = zero_at then 'no_spread'
            when normalisation = 'target' and full_at is null then 'target_missing'
        end as normalisation_flag
    from parameters
),

final as (
    select
        iso3,
        round,
        indicator,
        raw_value,
        denominated_value,
        imputed_value,
        imputation_method,
        is_imputed,
        transformed_value,
        treatment,
        treated_value,
        normalisation,
        direction,
        zero_at as score_0_at,
        full_at as score_100_at,
        normalised_score,
        case
            when normalised_score is null then coalesce(missing_reason, 'no score: ' || coalesce(normalisation_flag, 'normalisation undefined'))
        end as missing_reason,
        nullif(concat_ws('; ',
            denominator_flag,
            case when is_imputed then 'imputed' end,
            case when treatment not in ('none') then 'treated' end,
            normalisation_flag,
            case when n_observations is not null and n_observations < 3 and source like 'survey:institution%' then 'few_respondents' end
        ), '') as quality_flag,
        source,
        n_observations,
        lineage_files,
        lineage_batches,
        oic_group,
        income_group
    from normalised
)

select * from final

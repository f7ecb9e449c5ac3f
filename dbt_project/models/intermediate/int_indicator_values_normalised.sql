-- Step 5: indicator scores, higher = better (direction -1 flips), by the catalogue's method. y is
-- the treated value; L, U, T (and the scaled bounds) are given in the indicator's own unit and pass
-- through the same transform and treatment log as the values (transform_kind, bound_log).
--   minmax          100 (y - min) / (max - min), min and max over the pooled panel of all rounds
--   goalposts       100 (y - L) / (U - L), fixed across rounds (U - y for direction -1); capped to
--                   0-100 unless the node's cap is false
--   scaled:<l>:<u>  100 (y - l) / (u - l), uncapped (COINr n_scaled)
--   zscore          50 + 10 z over the pooled panel, capped to 0-100
--   zscore:<m>:<s>  m + s z, uncapped (COINr n_zscore)
--   target          100 (y - L) / (T - L) (L defaults to the pooled min); direction -1: (U - y) / (U - T);
--                   capped unless cap is false
--   frontier        World Bank distance to frontier 100 (worst - y) / (worst - frontier), capped; worst and
--                   frontier are L and U (swapped for direction -1), the pooled min and max where not given
--   dist_to_ref:<unit>  100 (1 - (ref - y) / (ref - min)) within the round (COINr n_dist2ref, on d y);
--                   uncapped unless cap is true (then at most 100)
--   frac_max        100 d y / max(d y) over the pooled panel (COINr n_fracmax)
--   rank            100 x percent rank within the round (ties share the lower rank)
--   rank_raw        rank within the round, 1 = lowest d y, ties share the lower rank (COINr n_rank)
--   borda           rank_raw - 1 (COINr n_borda)
-- A pool without spread (max = min, sd = 0, a single unit in the round) scores the middle of the
-- scale (50; m for zscore:m:s) and is flagged.
with

treated as (
    select * from {{ ref('int_indicator_values_treated') }}
),

catalogue as (
    select
        code, direction, normalisation, normalisation_method, normalisation_arg1, normalisation_arg2,
        normalisation_reference, cap, score_bounded, lower_bound, upper_bound, target
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

reference_values as (
    -- dist_to_ref: the reference unit's treated value in each round
    select treated.indicator, treated.round, treated.treated_value as reference_value
    from treated
    inner join catalogue on catalogue.code = treated.indicator
    where catalogue.normalisation_method = 'dist_to_ref' and treated.iso3 = catalogue.normalisation_reference
),

bounded as (
    select
        treated.*,
        catalogue.direction,
        catalogue.normalisation,
        catalogue.normalisation_method as method,
        catalogue.normalisation_arg1,
        catalogue.normalisation_arg2,
        catalogue.cap,
        catalogue.score_bounded,
        pooled.pool_min,
        pooled.pool_max,
        pooled.pool_mean,
        pooled.pool_sd,
        reference_values.reference_value,
        {%- for bound, column in [
            ('lower_t', 'catalogue.lower_bound'), ('upper_t', 'catalogue.upper_bound'), ('target_t', 'catalogue.target'),
            ('scaled_lower_t', 'catalogue.normalisation_arg1'), ('scaled_upper_t', 'catalogue.normalisation_arg2')
        ] %}
        {{ apply_treatment_log(
            apply_transform(column, 'treated.transform_kind'), 'treated.bound_log', 'treated.log_ct_shift'
        ) }} as {{ bound }},
        {%- endfor %}
        min(treated.treated_value) over (partition by treated.indicator, treated.round) as round_min,
        max(treated.treated_value) over (partition by treated.indicator, treated.round) as round_max,
        -- ranked among the values present only (NULLs in their own partition)
        percent_rank() over (
            partition by treated.indicator, treated.round, treated.treated_value is null
            order by treated.treated_value * catalogue.direction
        ) as pct_rank,
        rank() over (
            partition by treated.indicator, treated.round, treated.treated_value is null
            order by treated.treated_value * catalogue.direction
        ) as round_rank,
        count(treated.treated_value) over (partition by treated.indicator, treated.round) as n_in_round
    from treated
    inner join catalogue on catalogue.code = treated.indicator
    inner join pooled on pooled.indicator = treated.indicator
    left join reference_values
        on reference_values.indicator = treated.indicator and reference_values.round = treated.round
),

parameters as (
    select
        *,
        -- the two anchors of a linear score: `zero_at` scores 0, `full_at` scores 100
        case method
            when 'minmax' then case when direction = 1 then pool_min else pool_max end
            when 'goalposts'
                then case when direction = 1 then coalesce(lower_t, pool_min) else coalesce(upper_t, pool_max) end
            when 'target'
                then case when direction = 1 then coalesce(lower_t, pool_min) else coalesce(upper_t, pool_max) end
            when 'frontier'
                then case when direction = 1 then coalesce(lower_t, pool_min) else coalesce(upper_t, pool_max) end
            when 'scaled' then case when direction = 1 then scaled_lower_t else scaled_upper_t end
            when 'dist_to_ref' then case when direction = 1 then round_min else round_max end
            when 'frac_max' then 0.0
        end as zero_at,
        case method
            when 'minmax' then case when direction = 1 then pool_max else pool_min end
            when 'goalposts'
                then case when direction = 1 then coalesce(upper_t, pool_max) else coalesce(lower_t, pool_min) end
            when 'target' then target_t
            when 'frontier'
                then case when direction = 1 then coalesce(upper_t, pool_max) else coalesce(lower_t, pool_min) end
            when 'scaled' then case when direction = 1 then scaled_upper_t else scaled_lower_t end
            when 'dist_to_ref' then reference_value
            -- d y / max(d y) = y / (max(d y) / d): the anchor is pool_max for d = 1, pool_min for d = -1
            when 'frac_max' then case when direction = 1 then pool_max else pool_min end
        end as full_at
    from bounded
),

linear as (
    select
        *,
        case when full_at <> zero_at then 100.0 * (treated_value - zero_at) / (full_at - zero_at) end as linear_score
    from parameters
),

normalised as (
    select
        *,
        case
            when treated_value is null then null
            when method = 'zscore' and normalisation_arg1 is not null
                then
                    case
                        when coalesce(pool_sd, 0) = 0 then normalisation_arg1
                        else normalisation_arg1 + normalisation_arg2 * direction * (treated_value - pool_mean) / pool_sd
                    end
            when method = 'zscore'
                then
                    case
                        when coalesce(pool_sd, 0) = 0 then 50.0
                        else
                            greatest(0.0, least(100.0, 50.0 + 10.0 * direction * (treated_value - pool_mean) / pool_sd))
                    end
            when method = 'rank' then case when n_in_round <= 1 then 50.0 else 100.0 * pct_rank end
            when method = 'rank_raw' then cast(round_rank as double)
            when method = 'borda' then cast(round_rank - 1 as double)
            when full_at is null or zero_at is null then null
            when full_at = zero_at then 50.0
            when method in ('minmax', 'frontier') or (method in ('goalposts', 'target') and cap)
                then greatest(0.0, least(100.0, linear_score))
            when method = 'dist_to_ref' and cap then least(100.0, linear_score)
            else linear_score
        end as normalised_score,
        case
            when treated_value is null then null
            when method = 'zscore' and coalesce(pool_sd, 0) = 0 then 'no_spread'
            when method = 'rank' and n_in_round <= 1 then 'no_spread'
            when method in ('minmax', 'goalposts', 'target', 'frontier', 'scaled', 'dist_to_ref', 'frac_max')
                and full_at = zero_at then 'no_spread'
            when method = 'target' and full_at is null then 'target_missing'
            when method = 'dist_to_ref' and full_at is null then 'reference_missing'
        end as normalisation_flag
    from linear
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
            when normalised_score is null
                then coalesce(missing_reason, 'no score: ' || coalesce(normalisation_flag, 'normalisation undefined'))
        end as missing_reason,
        nullif(concat_ws(
            '; ',
            denominator_flag,
            case when is_imputed then 'imputed' end,
            case when imputed_value is not null and transformed_value is null then 'transform_undefined' end,
            case when treatment not in ('none') then 'treated' end,
            normalisation_flag,
            case
                when n_observations is not null and n_observations < 3 and source like 'survey:institution%'
                    then 'few_respondents'
            end
        ), '') as quality_flag,
        source,
        n_observations,
        lineage_files,
        lineage_batches,
        oic_group,
        income_group,
        transform_kind,
        bound_log,
        log_ct_shift,
        score_bounded
    from normalised
)

select * from final

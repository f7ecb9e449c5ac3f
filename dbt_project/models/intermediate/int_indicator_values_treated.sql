-- Step 4: the catalogue transform and outlier treatment, per indicator over the pooled panel of all
-- units and rounds (the same pool as min-max normalisation).
-- Transform (transform_kind): none | ln (ln x; x <= 0 has no value, with a reason) | log1p (ln(1 + x);
-- `log` is its alias) | sqrt (x < 0 has no value).
-- Treatment (COINr's Treat):
--   auto[:m]         while |skewness| > 2 and kurtosis > 3.5, winsorise: the most extreme value on the
--                    side of the current skew takes the value of the next one (ties move together),
--                    re-deciding the side at every step as COINr does, at most m steps (default
--                    `winsorise_max_points`, 5); still outlying after m steps: ln(1 + x) instead
--   auto_log_ct[:m]  idem, but the fallback is COINr's log_CT: ln(x - min + 0.01 (max - min)) of the
--                    untreated values
--   winsorise[:m]    the winsorising steps only, never a log (m steps at most)
--   log | log_ct     always ln(1 + x) / always log_CT;  none: untouched
-- Under auto and auto_log_ct, indicators normalised against fixed bounds (goalposts, target, scaled)
-- or by ranks (rank, rank_raw, borda) are not treated: bounds already cap extremes, ranks ignore them.
-- The same transform and log are applied to the bounds (int_indicator_values_normalised reads
-- transform_kind, bound_log and log_ct_shift), so goalposts stay in the indicator's own unit.
{% set default_points = var('winsorise_max_points', 5) | int -%}
{% set steps = var('winsorise_points_limit', 20) | int -%}
{% set skew_limit = var('treatment_skew_threshold', 2.0) -%}
{% set kurt_limit = var('treatment_kurtosis_threshold', 3.5) -%}
{% set ctes = [] -%}

{% set sql %}
    select * from {{ ref('int_indicator_values_imputed') }}
{%- endset %}{% do ctes.append(('imputed', sql)) %}

{% set sql %}
    select
        code,
        transform,
        transform_kind,
        normalisation_method,
        {{ option_method('treatment') }} as treatment_method,
        -- at most `winsorise_points_limit` steps (catalogue_options_valid checks it)
        cast(coalesce({{ option_number('treatment') }}, {{ default_points }}) as integer) as max_points
    from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
{%- endset %}{% do ctes.append(('catalogue', sql)) %}

{% set sql %}
    select
        imputed.*,
        catalogue.transform,
        catalogue.transform_kind,
        catalogue.max_points,
        case
            when catalogue.treatment_method in ('none', 'winsorise', 'log', 'log_ct') then catalogue.treatment_method
            when catalogue.normalisation_method in ('goalposts', 'target', 'scaled', 'rank', 'rank_raw', 'borda') then 'none'
            else catalogue.treatment_method
        end as treatment_rule,
        {{ apply_transform('imputed.imputed_value', 'catalogue.transform_kind') }} as transformed_value
    from imputed
    inner join catalogue on catalogue.code = imputed.indicator
{%- endset %}{% do ctes.append(('transformed', sql)) %}

{% set sql %}
    select indicator, iso3, round, transformed_value as x, max_points
    from transformed
    where transformed_value is not null and treatment_rule in ('auto', 'auto_log_ct', 'winsorise')
{%- endset %}{% do ctes.append(('pool', sql)) %}

{% set sql %}
    -- log_CT's shift from the untreated pool of every indicator (log_ct may be asked directly)
    select indicator, 0.01 * (max(transformed_value) - min(transformed_value)) - min(transformed_value) as log_ct_shift
    from transformed
    where transformed_value is not null
    group by indicator
{%- endset %}{% do ctes.append(('pool_range', sql)) %}

{% set sql %}
    -- the k-th distinct value from the top (rank_high) and from the bottom (rank_low)
    select
        indicator, x,
        dense_rank() over (partition by indicator order by x desc) as rank_high,
        dense_rank() over (partition by indicator order by x asc) as rank_low
    from (select distinct indicator, x from pool) as d
{%- endset %}{% do ctes.append(('distinct_values', sql)) %}

{% set sql %}
{{ integer_series(steps + 1) }}
{%- endset %}{% do ctes.append(('steps', sql)) %}

{% set sql %}
    -- h steps on the high side and l on the low side cap the pool at its (h+1)-th highest and
    -- (l+1)-th lowest distinct values
    select
        limits.indicator, high.k as h, low.k as l,
        (select x from distinct_values as d where d.indicator = limits.indicator and d.rank_high = high.k + 1) as high_cap,
        (select x from distinct_values as d where d.indicator = limits.indicator and d.rank_low = low.k + 1) as low_cap
    from (select distinct indicator, max_points from pool) as limits
    cross join steps as high
    cross join steps as low
    where high.k + low.k <= limits.max_points
{%- endset %}{% do ctes.append(('states', sql)) %}

{% set sql %}
    select
        states.indicator, states.h, states.l,
        least(greatest(pool.x, coalesce(states.low_cap, pool.x)), coalesce(states.high_cap, pool.x)) as w
    from pool
    inner join states on states.indicator = pool.indicator
{%- endset %}{% do ctes.append(('winsorised', sql)) %}

{% set sql %}
    select
        *,
        w - avg(w) over (partition by indicator, h, l) as dev,
        avg(w) over (partition by indicator, h, l) as mean
    from winsorised
{%- endset %}{% do ctes.append(('winsorised_centred', sql)) %}

{% set sql %}
    select
        indicator, h, l,
        {{ sample_skewness('dev', 'mean') }} as skew,
        {{ sample_kurtosis('dev', 'mean') }} as kurt
    from winsorised_centred
    group by indicator, h, l
{%- endset %}{% do ctes.append(('shapes', sql)) %}

{% set sql %}
    select
        shapes.*,
        -- + 1e-9: a shape exactly at a limit (one outlier among four values has skew exactly 2) is not
        -- over it, whatever the last bit of floating point says (same rule as pipelines/index).
        coalesce(abs(skew), 0) > {{ skew_limit }} + 1e-9 and coalesce(kurt, 0) > {{ kurt_limit }} + 1e-9 as outlying
    from shapes
{%- endset %}{% do ctes.append(('judged', sql)) %}

{#- The walk from (0, 0): at each step, an outlying state moves one step on the side of its skew
    (>= 0: high, as COINr's `if (skew(x) >= 0)`) until it is not outlying or has used its m steps. -#}
{% set sql %}
    select indicator, 0 as h, 0 as l from judged where h = 0 and l = 0
{%- endset %}{% do ctes.append(('walk_0', sql)) %}
{%- for i in range(steps) %}

{% set sql %}
    select
        walk.indicator,
        walk.h + case when judged.outlying and walk.h + walk.l < limits.max_points and coalesce(judged.skew, 0) >= 0 then 1 else 0 end as h,
        walk.l + case when judged.outlying and walk.h + walk.l < limits.max_points and judged.skew < 0 then 1 else 0 end as l
    from walk_{{ i }} as walk
    inner join judged on judged.indicator = walk.indicator and judged.h = walk.h and judged.l = walk.l
    inner join (select distinct indicator, max_points from pool) as limits on limits.indicator = walk.indicator
{%- endset %}{% do ctes.append(('walk_' ~ (i + 1), sql)) %}
{%- endfor %}

{% set sql %}
    select
        walk.indicator,
        walk.h,
        walk.l,
        judged.outlying as still_outlying,
        states.high_cap,
        states.low_cap,
        initial.skew as skewness,
        initial.kurt as kurtosis
    from walk_{{ steps }} as walk
    inner join judged on judged.indicator = walk.indicator and judged.h = walk.h and judged.l = walk.l
    inner join states on states.indicator = walk.indicator and states.h = walk.h and states.l = walk.l
    inner join judged as initial on initial.indicator = walk.indicator and initial.h = 0 and initial.l = 0
{%- endset %}{% do ctes.append(('decision', sql)) %}

{% set sql %}
    select
        transformed.*,
        decision.skewness,
        decision.kurtosis,
        decision.h,
        decision.l,
        pool_range.log_ct_shift,
        case
            when transformed.transformed_value is null then null
            when transformed.treatment_rule in ('none', 'log', 'log_ct') then transformed.treatment_rule
            when transformed.treatment_rule = 'auto' and decision.still_outlying then 'log'
            when transformed.treatment_rule = 'auto_log_ct' and decision.still_outlying then 'log_ct'
            when coalesce(decision.h, 0) + coalesce(decision.l, 0) = 0 then 'none'
            else 'winsorise'
        end as treatment_applied,
        decision.high_cap,
        decision.low_cap
    from transformed
    left join decision on decision.indicator = transformed.indicator
    left join pool_range on pool_range.indicator = transformed.indicator
{%- endset %}{% do ctes.append(('treated', sql)) %}

{% set sql %}
    select
        *,
        case when treatment_applied = 'winsorise' then
            sum(case when transformed_value > high_cap and h > 0 then 1 else 0 end) over (partition by indicator)
        else 0 end as high_points,
        case when treatment_applied = 'winsorise' then
            sum(case when transformed_value < low_cap and l > 0 then 1 else 0 end) over (partition by indicator)
        else 0 end as low_points
    from treated
{%- endset %}{% do ctes.append(('counted', sql)) %}

{% set sql %}
    select
        iso3,
        round,
        indicator,
        raw_value,
        denominated_value,
        imputed_value,
        imputation_method,
        is_imputed,
        transform,
        transform_kind,
        transformed_value,
        treatment_rule,
        case
            when treatment_applied = 'winsorise' then
                'winsorise (' || (high_points + low_points) || ' point'
                || case when high_points + low_points > 1 then 's' else '' end || ', '
                || case when high_points > 0 and low_points > 0 then 'both sides'
                    when high_points > 0 then 'high side' else 'low side' end || ')'
            else treatment_applied
        end as treatment,
        cast(high_points + low_points as integer) as winsorised_points,
        skewness,
        kurtosis,
        case
            when treatment_applied = 'log' then {{ safe_log('transformed_value') }}
            when treatment_applied = 'log_ct' then {{ apply_treatment_log('transformed_value', "'log_ct'", 'log_ct_shift') }}
            when treatment_applied = 'winsorise' then
                -- clip to [low_cap, high_cap], each side only when it was winsorised
                case when h > 0 and l > 0 then least(greatest(transformed_value, low_cap), high_cap)
                    when h > 0 then least(transformed_value, high_cap)
                    else greatest(transformed_value, low_cap)
                end
            else transformed_value
        end as treated_value,
        -- the log the normalisation applies to the bounds after the transform
        case treatment_applied when 'log' then 'log1p' when 'log_ct' then 'log_ct' end as bound_log,
        log_ct_shift,
        source,
        n_observations,
        denominator_flag,
        case
            when missing_reason is null and imputed_value is not null and transformed_value is null then
                'no value: transform ' || transform_kind || ' undefined at ' || imputed_value
            else missing_reason
        end as missing_reason,
        lineage_files,
        lineage_batches,
        oic_group,
        income_group
    from counted
{%- endset %}{% do ctes.append(('final', sql)) %}

{{ with_ctes(ctes) }}
select * from final

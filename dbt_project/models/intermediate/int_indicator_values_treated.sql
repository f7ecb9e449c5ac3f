-- Step 4: the catalogue transform (transform = log: ln(1 + x)) and outlier treatment, per indicator
-- over the pooled panel of all countries and rounds (the same pool as min-max normalisation).
-- COINr rule (treatment = auto): while |skewness| > 2 and kurtosis > 3.5, winsorise one more point
-- on the side of the skew (the k most extreme values take the value of the (k+1)-th), up to
-- `winsorise_max_points`; if that is not enough, use ln(1 + x) instead. Overrides per indicator:
-- none | winsorise (up to the maximum, whatever the result) | log | auto.
-- Indicators normalised against fixed bounds (goalposts, target) or by rank are not treated under
-- `auto`: goalposts already cap extremes and ranks ignore them. Any log applied here is applied to
-- the bounds too (int_indicator_values_normalised), so goalposts stay in the indicator's own unit.
{% set max_points = var('winsorise_max_points', 5) | int -%}
{% set skew_limit = var('treatment_skew_threshold', 2.0) -%}
{% set kurt_limit = var('treatment_kurtosis_threshold', 3.5) -%}
with

imputed as (
    select * from {{ ref('int_indicator_values_imputed') }}
),

catalogue as (
    select code, transform, treatment, normalisation
    from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
),

transformed as (
    select
        imputed.*,
        catalogue.transform,
        catalogue.normalisation,
        case
            when catalogue.treatment in ('none', 'winsorise', 'log') then catalogue.treatment
            when catalogue.normalisation in ('goalposts', 'target', 'rank') then 'none'
            else 'auto'
        end as treatment_rule,
        case
            when catalogue.transform = 'log' then {{ safe_log('imputed.imputed_value') }}
            else imputed.imputed_value
        end as transformed_value
    from imputed
    inner join catalogue on catalogue.code = imputed.indicator
),

pool as (
    select indicator, iso3, round, transformed_value as x
    from transformed
    where transformed_value is not null and treatment_rule in ('auto', 'winsorise')
),

pool_centred as (
    select *, x - avg(x) over (partition by indicator) as dev, avg(x) over (partition by indicator) as mean
    from pool
),

initial_shape as (
    select indicator, {{ sample_skewness('dev', 'mean') }} as skew0
    from pool_centred
    group by indicator
),

ranked as (
    select
        pool.*,
        coalesce(initial_shape.skew0, 0) >= 0 as high_side,
        row_number() over (partition by pool.indicator order by pool.x desc) as rank_desc,
        row_number() over (partition by pool.indicator order by pool.x asc) as rank_asc
    from pool
    inner join initial_shape using (indicator)
),

points as (
    select range as k from range(0, {{ max_points + 1 }})
),

caps as (
    -- winsorising k points caps the pool at its (k+1)-th most extreme value
    select
        ranked.indicator,
        points.k,
        any_value(ranked.high_side) as high_side,
        max(ranked.x) filter (
            where (ranked.high_side and ranked.rank_desc = points.k + 1)
            or (not ranked.high_side and ranked.rank_asc = points.k + 1)
        ) as cap
    from ranked
    cross join points
    group by ranked.indicator, points.k
),

winsorised as (
    select
        ranked.indicator, caps.k,
        case when caps.high_side then least(ranked.x, caps.cap) else greatest(ranked.x, caps.cap) end as w
    from ranked
    inner join caps on caps.indicator = ranked.indicator
    where caps.cap is not null
),

winsorised_centred as (
    select
        *,
        w - avg(w) over (partition by indicator, k) as dev,
        avg(w) over (partition by indicator, k) as mean
    from winsorised
),

shapes as (
    select
        indicator,
        k,
        {{ sample_skewness('dev', 'mean') }} as skew,
        {{ sample_kurtosis('dev', 'mean') }} as kurt
    from winsorised_centred
    group by indicator, k
),

decision as (
    select
        indicator,
        min(k) filter (
            -- + 1e-9: a shape exactly at a limit (one outlier among four values has skew exactly 2) is not
            -- over it, whatever the last bit of floating point says (same rule as pipelines/index).
            where not (coalesce(abs(skew), 0) > {{ skew_limit }} + 1e-9 and coalesce(kurt, 0) > {{ kurt_limit }} + 1e-9)
        ) as k_enough,
        max(k) as k_max,
        any_value(skew) filter (where k = 0) as skewness,
        any_value(kurt) filter (where k = 0) as kurtosis
    from shapes
    group by indicator
),

treated as (
    select
        transformed.*,
        decision.skewness,
        decision.kurtosis,
        case
            when transformed.transformed_value is null then null
            when transformed.treatment_rule = 'none' then 'none'
            when transformed.treatment_rule = 'log' then 'log'
            when transformed.treatment_rule = 'winsorise' then
                case when coalesce(decision.k_enough, decision.k_max) = 0 then 'none' else 'winsorise' end
            when decision.k_enough is null then 'log'
            when decision.k_enough = 0 then 'none'
            else 'winsorise'
        end as treatment,
        case
            when transformed.treatment_rule = 'winsorise' then coalesce(decision.k_enough, decision.k_max)
            when transformed.treatment_rule = 'auto' and decision.k_enough > 0 then decision.k_enough
            else 0
        end as winsorised_points
    from transformed
    left join decision on decision.indicator = transformed.indicator
),

with_caps as (
    select
        treated.*,
        caps.high_side,
        caps.cap
    from treated
    left join caps
        on caps.indicator = treated.indicator
        and caps.k = treated.winsorised_points
        and treated.treatment = 'winsorise'
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
        transform,
        transformed_value,
        treatment_rule,
        case
            when treatment = 'winsorise'
                then 'winsorise (' || winsorised_points || ' point' || case when winsorised_points > 1 then 's' else '' end
                    || ', ' || case when high_side then 'high' else 'low' end || ' side)'
            else treatment
        end as treatment,
        winsorised_points,
        skewness,
        kurtosis,
        case
            when treatment = 'log' then {{ safe_log('transformed_value') }}
            when treatment = 'winsorise' and high_side then least(transformed_value, cap)
            when treatment = 'winsorise' then greatest(transformed_value, cap)
            else transformed_value
        end as treated_value,
        -- how many times ln(1 + x) was applied: the normalisation applies it to the bounds too
        (case when transform = 'log' then 1 else 0 end)
            + (case when treatment = 'log' then 1 else 0 end) as log_applications,
        source,
        n_observations,
        denominator_flag,
        missing_reason,
        lineage_files,
        lineage_batches,
        oic_group,
        income_group
    from with_caps
)

select * from final

-- Every option of the catalogue is one the pipeline implements, with valid arguments
-- (docs/methodology.md lists them).
{% set country_columns = catalogue_columns(ref('countries')) -%}
{% set groups = country_group_columns(country_columns) -%}
{% set steps = var('winsorise_points_limit', 20) | int -%}
with nodes as (
    select
        *,
        {{ option_method('imputation') }} as imputation_method,
        {{ option_argument('imputation') }} as imputation_argument,
        {{ option_number('imputation') }} as imputation_number,
        {{ option_method('treatment') }} as treatment_method,
        {{ option_argument('treatment') }} as treatment_argument,
        {{ option_number('treatment') }} as treatment_number
    from {{ ref('int_catalogue_nodes_resolved') }}
)
select code, 'direction must be 1 or -1' as problem from nodes where direction not in (1, -1)
union all
select code, 'weight must be >= 0' as problem from nodes where weight < 0
union all
select parent as code, 'the weights of its children sum to 0: nothing would count' as problem from nodes
where parent is not null group by parent having sum(weight) <= 0
union all
select code, 'unknown normalisation ' || normalisation as problem from nodes
where
    is_leaf and normalisation_method not in (
        'minmax', 'goalposts', 'zscore', 'target', 'frontier', 'rank', 'scaled', 'dist_to_ref', 'frac_max',
        'rank_raw', 'borda'
    )
union all
select code, 'normalisation ' || normalisation || ' takes no argument' as problem from nodes
where
    is_leaf
    and normalisation_method in ('minmax', 'goalposts', 'target', 'frontier', 'rank', 'frac_max', 'rank_raw', 'borda')
    and normalisation like '%:%'
union all
select code, 'scaled needs scaled:<lower>:<upper> with two different numbers' as problem from nodes
where is_leaf and normalisation_method = 'scaled'
    and (normalisation_arg1 is null or normalisation_arg2 is null or normalisation_arg1 = normalisation_arg2)
union all
select code, 'zscore takes no argument or zscore:<mean>:<sd> with sd > 0' as problem from nodes
where is_leaf and normalisation_method = 'zscore' and normalisation like '%:%'
    and (normalisation_arg1 is null or normalisation_arg2 is null or normalisation_arg2 <= 0)
union all
select code, 'dist_to_ref needs a unit of the countries seed (dist_to_ref:<iso3>)' as problem from nodes
where is_leaf and normalisation_method = 'dist_to_ref'
    and (
        normalisation_reference is null
        or normalisation_reference not in (
            select upper(trim(cast(countries.iso3 as {{ text_type() }}))) from {{ ref('countries') }} as countries
        )
    )
union all
select code, 'unknown aggregation ' || aggregation as problem from nodes
where
    not is_leaf and not (
        aggregation in ('arithmetic', 'geometric', 'harmonic', 'copeland')
        or (aggregation_method = 'generalised' and aggregation_p is not null)
    )
union all
select code, 'unknown transform ' || transform as problem from nodes
where transform not in ('none', 'log', 'log1p', 'ln', 'sqrt')
union all
select
    code,
    'transform ln needs bounds > 0 (ln is undefined at ' || least(lower_bound, upper_bound, target) || ')' as problem
from nodes
where transform_kind = 'ln' and least(coalesce(lower_bound, 1), coalesce(upper_bound, 1), coalesce(target, 1)) <= 0
union all
select code, 'transform sqrt needs bounds >= 0' as problem from nodes
where transform_kind = 'sqrt' and least(coalesce(lower_bound, 0), coalesce(upper_bound, 0), coalesce(target, 0)) < 0
union all
select code, 'unknown treatment ' || treatment as problem from nodes
where
    not (
        (treatment_method in ('none', 'log', 'log_ct') and treatment_argument is null)
        or (treatment_method in ('auto', 'auto_log_ct', 'winsorise') and (
            treatment_argument is null
            or (treatment_number = floor(treatment_number) and treatment_number between 0 and {{ steps }})
        ))
    )
union all
select code, 'unknown imputation ' || imputation as problem from nodes
where
    not (
        imputation in ('none', 'mean', 'median')
        or (
            imputation_method in ('carry_forward', 'linear')
            and imputation_number = floor(imputation_number) and imputation_number >= 0
        )
        or (imputation_method = 'constant' and imputation_number is not null)
        or (
            imputation_method in ('group_mean', 'group_median', 'peer_median')
            and lower(imputation_argument) in (
                {%- for g in groups %}'{{ g }}'{{ ', ' if not loop.last }}{% endfor %}
                {%- if not groups %}null{% endif -%}
            )
        )
    )
union all
select code, 'cap must be true or false' as problem from nodes
where cap_given is not null and cap_given not in ('true', 'false', 'yes', 'no', '1', '0')
union all
select code, 'normalisation target needs a target' as problem from nodes
where is_leaf and normalisation_method = 'target' and target is null
union all
select code, 'goalposts need lower < upper' as problem from nodes
where
    is_leaf and normalisation_method = 'goalposts'
    and (lower_bound is null or upper_bound is null or lower_bound >= upper_bound)
union all
select code, 'min_coverage must be within 0-1' as problem from nodes where min_coverage < 0 or min_coverage > 1

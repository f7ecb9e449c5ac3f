-- depends_on: {{ ref('weights') }}
-- The index tree, one row per catalogue node, with defaults applied and the tree walked from the
-- root: depth (level, root = 0), node type, leaf flag and path. A node the walk cannot reach (an
-- orphan, or a node inside a cycle) keeps depth NULL and fails `catalogue_nodes_reachable`.
-- Options are parsed once here (method, numeric arguments), so later steps read columns, not text.
-- Weights come from the catalogue, or from the named set of seed `weights.csv` (dbt var
-- `weight_set`) where that set gives the node a weight.
{% set catalogue = ref('indicator_catalogue') -%}
{% set present = catalogue_columns(catalogue) -%}
{% set weight_set = var('weight_set', none) -%}
with recursive

source as (
    select * from {{ catalogue }}
),

renamed as (
    select
        trim(cast(code as {{ text_type() }})) as code,
        {{ blank_to_null('parent') }} as parent,
        coalesce(
            {{ blank_to_null(catalogue_column(present, 'name_en', 'code')) }}, trim(cast(code as {{ text_type() }}))
        ) as name_en,
        {{ blank_to_null(catalogue_column(present, 'name_fr', 'null')) }} as name_fr,
        {{ blank_to_null(catalogue_column(present, 'name_ar', 'null')) }} as name_ar,
        {{ blank_to_null(catalogue_column(present, 'unit', 'null')) }} as unit,
        coalesce({{ catalogue_column(present, 'direction', 'null', 'integer') }}, 1) as direction,
        coalesce({{ catalogue_column(present, 'weight', 'null', 'double') }}, 1.0) as weight,
        lower(coalesce({{ blank_to_null(catalogue_column(present, 'transform', 'null')) }}, 'none')) as transform,
        {{ blank_to_null(catalogue_column(present, 'denominator', 'null')) }} as denominator,
        lower({{ blank_to_null(catalogue_column(present, 'normalisation', 'null')) }}) as normalisation_given,
        {{ catalogue_column(present, 'lower', 'null', 'double') }} as lower_bound,
        {{ catalogue_column(present, 'upper', 'null', 'double') }} as upper_bound,
        {{ catalogue_column(present, 'target', 'null', 'double') }} as target,
        lower({{ blank_to_null(catalogue_column(present, 'aggregation', 'null')) }}) as aggregation_given,
        coalesce(
            {{ catalogue_column(present, 'min_coverage', 'null', 'double') }},
            {{ var('default_min_coverage', 0.65) }}
        ) as min_coverage,
        lower(coalesce({{ blank_to_null(catalogue_column(present, 'imputation', 'null')) }}, 'none')) as imputation,
        {{ blank_to_null(catalogue_column(present, 'source_code', 'null')) }} as source_code,
        coalesce({{ catalogue_column(present, 'scale', 'null', 'double') }}, 1.0) as scale,
        lower(coalesce({{ blank_to_null(catalogue_column(present, 'treatment', 'null')) }}, 'auto')) as treatment,
        {{ blank_to_null(catalogue_column(present, 'source', 'null')) }} as source,
        {{ blank_to_null(catalogue_column(present, 'formula', 'null')) }} as formula,
        lower({{ blank_to_null(catalogue_column(present, 'cap', 'null')) }}) as cap_given
    from source
    where nullif(trim(cast(code as {{ text_type() }})), '') is not null
),

weighted as (
    select
        renamed.*,
        {%- if weight_set is not none and (weight_set | string | trim) not in ('', 'none', 'None', 'null') %}
        weight_set.weight as set_weight
        {%- else %}
        cast(null as double) as set_weight
        {%- endif %}
    from renamed
    {%- if weight_set is not none and (weight_set | string | trim) not in ('', 'none', 'None', 'null') %}
    left join (
        select trim(cast(code as {{ text_type() }})) as code, cast(weight as double) as weight
        from {{ ref('weights') }}
        where trim(cast(weight_set as {{ text_type() }})) = '{{ weight_set | string | trim | replace("'", "''") }}'
    ) as weight_set on weight_set.code = renamed.code
    {%- endif %}
),

shares as (
    -- a node's share of its parent: weight / sum of its siblings' weights
    select
        code,
        parent,
        coalesce(set_weight, weight)
        / nullif(sum(coalesce(set_weight, weight)) over (partition by parent), 0) as sibling_share
    from weighted
),

tree as (
    select code, 0 as depth, {{ list_of('code') }} as path, cast(1.0 as double) as nominal_weight
    from weighted
    where parent is null
    union all
    select
        child.code,
        tree.depth + 1 as depth,
        {{ list_append_item('tree.path', 'child.code') }} as path,
        tree.nominal_weight * child.sibling_share as nominal_weight
    from shares as child
    inner join tree on tree.code = child.parent
    -- a cycle reachable from the root cannot exist (one parent per node), but a bound keeps a
    -- malformed catalogue from recursing forever: the depth test then fails loudly.
    where not {{ list_has('tree.path', 'child.code') }} and tree.depth < 50
),

children as (
    select parent as code, count(*) as n_children
    from weighted
    where parent is not null
    group by parent
),

resolved as (
    select
        renamed.code,
        renamed.parent,
        tree.depth as level,
        tree.path,
        tree.nominal_weight as nominal_weight_in_index,
        coalesce(children.n_children, 0) as n_children,
        children.code is null as is_leaf,
        case
            when tree.depth = 0 then 'index'
            when children.code is null then 'indicator'
            when tree.depth = 1 then 'dimension'
            else 'subdimension'
        end as node_type,
        renamed.name_en,
        renamed.name_fr,
        renamed.name_ar,
        renamed.unit,
        renamed.direction,
        coalesce(renamed.set_weight, renamed.weight) as weight,
        renamed.transform,
        renamed.denominator,
        -- COINr's default normalisation is min-max; aggregation defaults to the arithmetic mean.
        case when children.code is null then coalesce(renamed.normalisation_given, 'minmax') end as normalisation,
        renamed.lower_bound,
        renamed.upper_bound,
        renamed.target,
        case when children.code is not null then coalesce(renamed.aggregation_given, 'arithmetic') end as aggregation,
        renamed.min_coverage,
        renamed.imputation,
        renamed.source_code,
        renamed.scale,
        renamed.treatment,
        renamed.source,
        renamed.formula,
        renamed.set_weight is not null as weight_from_set,
        renamed.cap_given
    from weighted as renamed
    left join tree on tree.code = renamed.code
    left join children on children.code = renamed.code
),

parsed as (
    select
        *,
        -- `log` is vetdx's original ln(1 + x), kept as an alias of `log1p`
        case when transform = 'log' then 'log1p' else transform end as transform_kind,
        {{ option_method('normalisation') }} as normalisation_method,
        -- scaled:<lo>:<hi>, zscore:<mean>:<sd>; dist_to_ref:<unit>
        {{ option_number('normalisation', 2) }} as normalisation_arg1,
        {{ option_number('normalisation', 3) }} as normalisation_arg2,
        upper({{ option_argument('normalisation', 2) }}) as normalisation_reference,
        {{ option_method('aggregation') }} as aggregation_method,
        -- generalised:<p> (power mean); arithmetic, geometric and harmonic are p = 1, 0, -1
        {{ option_number('aggregation', 2) }} as aggregation_p,
        -- goalposts and target truncate to 0-100 unless the node says cap = false (COINr
        -- trunc2posts / cap_max); dist_to_ref is uncapped unless cap = true (COINr's default)
        case
            when cap_given in ('true', 'yes', '1') then true
            when cap_given in ('false', 'no', '0') then false
            else {{ option_method('normalisation') }} in ('goalposts', 'target')
        end as cap
    from resolved
),

bounded as (
    -- whether the method keeps a leaf's score within 0-100 (uncapped and rank-count methods do not)
    select
        *,
        is_leaf and (
            normalisation_method in ('minmax', 'frontier', 'rank')
            or (normalisation_method = 'zscore' and normalisation_arg1 is null)
            or (normalisation_method in ('goalposts', 'target', 'dist_to_ref') and cap)
        ) as leaf_bounded
    from parsed
),

final as (
    -- a node's score lies in 0-100 when every leaf below it does and no node on the way is a
    -- Copeland count (scores -(n - 1) .. n - 1)
    select
        node.*,
        not exists (
            select 1 from bounded as below
            where {{ list_has('below.path', 'node.code') }}
                and (
                    (below.is_leaf and not below.leaf_bounded)
                    or (not below.is_leaf and below.aggregation_method = 'copeland')
                )
        ) as score_bounded
    from bounded as node
)

select * from final

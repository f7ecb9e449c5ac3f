-- The index tree, one row per catalogue node, with defaults applied and the tree walked from the
-- root: depth (level, root = 0), node type, leaf flag and path. A node the walk cannot reach (an
-- orphan, or a node inside a cycle) keeps depth NULL and fails `catalogue_nodes_reachable`.
{% set catalogue = ref('indicator_catalogue') -%}
{% set present = catalogue_columns(catalogue) -%}
with recursive

source as (
    select * from {{ catalogue }}
),

renamed as (
    select
        trim(cast(code as varchar)) as code,
        {{ blank_to_null('parent') }} as parent,
        coalesce({{ blank_to_null(catalogue_column(present, 'name_en', 'code')) }}, trim(cast(code as varchar))) as name_en,
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
        {{ blank_to_null(catalogue_column(present, 'formula', 'null')) }} as formula
    from source
    where nullif(trim(cast(code as varchar)), '') is not null
),

shares as (
    -- a node's share of its parent: weight / sum of its siblings' weights
    select code, parent, weight / nullif(sum(weight) over (partition by parent), 0) as sibling_share
    from renamed
),

tree as (
    select code, 0 as depth, [code] as path, 1.0::double as nominal_weight
    from renamed
    where parent is null
    union all
    select child.code, tree.depth + 1, list_append(tree.path, child.code), tree.nominal_weight * child.sibling_share
    from shares as child
    inner join tree on child.parent = tree.code
    -- a cycle reachable from the root cannot exist (one parent per node), but a bound keeps a
    -- malformed catalogue from recursing forever: the depth test then fails loudly.
    where not list_contains(tree.path, child.code) and tree.depth < 50
),

children as (
    select parent as code, count(*) as n_children
    from renamed
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
        renamed.weight,
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
        renamed.formula
    from renamed
    left join tree on tree.code = renamed.code
    left join children on children.code = renamed.code
)

select * from resolved

-- The index tree as documented in the catalogue: every node with its level (root = 0), type and the
-- methodological choices that apply to it.
with

catalogue as (
    select * from {{ ref('int_catalogue_nodes_resolved') }}
),

final as (
    select
        code,
        parent,
        cast(level as integer) as level,
        node_type,
        name_en,
        name_fr,
        name_ar,
        unit,
        cast(direction as integer) as direction,
        cast(weight as double) as weight,
        normalisation,
        aggregation,
        transform,
        imputation,
        source,
        formula,
        denominator,
        cast(scale as double) as scale,
        cast(lower_bound as double) as lower_bound,
        cast(upper_bound as double) as upper_bound,
        cast(target as double) as target,
        cast(min_coverage as double) as min_coverage,
        treatment,
        source_code,
        -- weight of the node in the root score when every node is present: the product of the
        -- sibling-normalised weights along its path (exact for arithmetic aggregation)
        cast(nominal_weight_in_index as double) as nominal_weight_in_index,
        {{ data_label() }} as data_label
    from catalogue
)

select * from final

-- The weight set named by var `weight_set` exists in seed weights.csv, and gives weights >= 0 to
-- codes of the catalogue only.
{% set weight_set = var('weight_set', none) -%}
{% if weight_set is not none and (weight_set | string | trim) not in ('', 'none', 'None', 'null') -%}
{% set name = weight_set | string | trim | replace("'", "''") -%}
with chosen as (
    select trim(cast(code as {{ text_type() }})) as code, cast(weight as double) as weight
    from {{ ref('weights') }}
    where trim(cast(weight_set as {{ text_type() }})) = '{{ name }}'
)
select '{{ name }}' as code, 'weight set not found in weights.csv' as problem
where not exists (select 1 from chosen)
union all
select code, 'weight set {{ name }}: code not in the catalogue' from chosen
where code not in (select code from {{ ref('int_catalogue_nodes_resolved') }})
union all
select code, 'weight set {{ name }}: weight must be >= 0' from chosen where weight < 0 or weight is null
{%- else -%}
select * from {{ ref('weights') }} where false
{%- endif %}

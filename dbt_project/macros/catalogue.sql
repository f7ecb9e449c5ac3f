{#- The catalogue's optional columns: a user catalogue may leave any of them out; the resolved
    catalogue then uses the documented default. Needs the seed to exist (introspective). -#}
{% macro catalogue_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}

{% macro catalogue_column(present, name, default, cast_to=none) -%}
    {%- set cast_to = cast_to or text_type() -%}
    {%- if name in present -%}
        cast({{ adapter.quote(name) }} as {{ cast_to }})
    {%- else -%}
        cast({{ default }} as {{ cast_to }})
    {%- endif -%}
{%- endmacro %}

{#- A blank text cell is NULL, whatever the CSV loader made of it. -#}
{% macro blank_to_null(expr) -%}
    nullif(trim(cast({{ expr }} as {{ text_type() }})), '')
{%- endmacro %}

{#- The comparison-group columns of the countries seed: every column but the identifiers and
    labels. The 57-member list has wb_region, income_group and oic_group; a user's unit list may
    have any others (region, network, size class), usable in imputation and benchmarks. -#}
{% macro country_group_columns(present) -%}
    {%- set not_groups = ['iso3', 'iso2', 'iso_numeric', 'name_en', 'name_fr', 'name_ar', 'wb_name'] -%}
    {%- set groups = [] -%}
    {%- for name in present -%}
        {%- if name not in not_groups and not name.startswith('_') -%}
            {%- do groups.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(groups) }}
{%- endmacro %}

{#- One row per unit and group column: (iso3, group_column, group_value). A union of one select per
    column (portable; no UNPIVOT). Blank labels are no group. -#}
{% macro country_memberships(relation, groups) -%}
    {%- if groups | length == 0 -%}
    select cast(null as {{ text_type() }}) as iso3, cast(null as {{ text_type() }}) as group_column, cast(null as {{ text_type() }}) as group_value
    where false
    {%- else -%}
    {%- for name in groups %}
    select upper(trim(cast(iso3 as {{ text_type() }}))) as iso3, '{{ name }}' as group_column,
        {{ blank_to_null(adapter.quote(name)) }} as group_value
    from {{ relation }}
    {{ 'union all' if not loop.last }}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

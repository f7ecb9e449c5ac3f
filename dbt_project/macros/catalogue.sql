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

{% macro catalogue_column(present, name, default, cast_to='varchar') -%}
    {%- if name in present -%}
        cast({{ adapter.quote(name) }} as {{ cast_to }})
    {%- else -%}
        cast({{ default }} as {{ cast_to }})
    {%- endif -%}
{%- endmacro %}

{#- A blank text cell is NULL, whatever the CSV loader made of it. -#}
{% macro blank_to_null(expr) -%}
    nullif(trim(cast({{ expr }} as varchar)), '')
{%- endmacro %}

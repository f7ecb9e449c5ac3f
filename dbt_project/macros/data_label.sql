{#- The `data_label` column every mart carries: NULL for real data, the label of a synthetic sample
    otherwise (dbt var `data_label`). -#}
{% macro data_label() -%}
    {%- set label = var('data_label', none) -%}
    {%- if label is none or (label | string | trim) in ('', 'none', 'None', 'null') -%}
        cast(null as {{ text_type() }})
    {%- else -%}
        cast('{{ label | replace("'", "''") }}' as {{ text_type() }})
    {%- endif -%}
{%- endmacro %}

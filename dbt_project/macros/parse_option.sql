{#- Catalogue options are `method` or `method:argument[:argument]` (carry_forward:3,
    group_mean:income_group, scaled:0:10, zscore:100:15). Parts are trimmed; the method is lower case,
    arguments keep their case (a unit code, a column name) and are NULL when absent. -#}
{% macro option_method(col) -%}
    lower(trim({{ option_part(col, 1) }}))
{%- endmacro %}

{% macro option_argument(col, n=2) -%}
    nullif(trim({{ option_part(col, n) }}), '')
{%- endmacro %}

{#- The n-th ':'-separated part of a text ('' when absent). Engine-specific: dispatched. -#}
{% macro option_part(col, n) -%}
    {{ return(adapter.dispatch('option_part', 'vetdx')(col, n)) }}
{%- endmacro %}

{% macro default__option_part(col, n) -%}
    split_part(coalesce({{ col }}, ''), ':', {{ n }})
{%- endmacro %}

{#- A numeric argument, NULL when absent or not a number. -#}
{% macro option_number(col, n=2) -%}
    {{ return(adapter.dispatch('option_number', 'vetdx')(col, n)) }}
{%- endmacro %}

{% macro default__option_number(col, n) -%}
    try_cast({{ option_argument(col, n) }} as double)
{%- endmacro %}

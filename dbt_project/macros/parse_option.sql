{#- Catalogue options are `method` or `method:argument` (e.g. carry_forward:3, peer_median:oic_group). -#}
{% macro option_method(col) -%}
    lower(trim(split_part(coalesce({{ col }}, ''), ':', 1)))
{%- endmacro %}

{% macro option_argument(col) -%}
    nullif(lower(trim(split_part(coalesce({{ col }}, ''), ':', 2))), '')
{%- endmacro %}

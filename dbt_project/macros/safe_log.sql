{#- The log transform of the catalogue (`transform = log`) and of outlier treatment: ln(1 + x), so
    0 stays 0 and goalposts of 0 remain valid. Undefined (NULL) at x <= -1. -#}
{% macro safe_log(x) -%}
    case when {{ x }} > -1 then ln(1 + {{ x }}) end
{%- endmacro %}

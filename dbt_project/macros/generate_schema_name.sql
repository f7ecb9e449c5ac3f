{#- Schemas are used verbatim (reference, staging, intermediate, marts), not prefixed with the
    target schema: Dagster asset keys are [schema, name] and analysts query marts.<table>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

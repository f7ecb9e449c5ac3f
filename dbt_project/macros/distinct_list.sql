{#- The distinct non-null values of a column as a sorted list (lineage: files and batches behind a
    figure). Aggregating the distinct values, instead of list_distinct(list(...)) over every row,
    keeps the 10M-row inventory models from building a 10M-string list per country and round. -#}
{% macro distinct_list(column) -%}
    {{ sorted_distinct_agg(column) }}
{%- endmacro %}

{#- Raw keeps every version of every file. The current rows of a version key (schemas.py
    RawTable.version_key) are those of the most recent batch carrying that key: latest `_loaded_at`,
    ties broken by the larger `_batch_id`. dense_rank keeps every row of that batch. -#}
{% macro current_rows(relation, version_key) -%}
    select *
    from {{ relation }}
    qualify dense_rank() over (
        partition by {{ version_key | join(', ') }}
        order by _loaded_at desc, _batch_id desc
    ) = 1
{%- endmacro %}

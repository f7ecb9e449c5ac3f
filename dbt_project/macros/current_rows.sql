{#- Raw keeps every version of every file. The current rows of a version key (schemas.py
    RawTable.version_key) are those of one batch carrying that key, chosen so that the answer never
    depends on the order files arrived in: the file whose path sorts last (what a rebuild from scratch,
    which lands files in path order, would keep), and of that file's versions the latest loaded (a
    re-issue under the same path replaces it); ties broken by the larger `_batch_id`. The ranking runs over the distinct (key, batch) pairs, a
    few thousand, and the rows are kept by a semi-join: a window over every row sorted all 10M
    inventory rows (pipelines/quality/raw_suites.py current_rows_sql is the same rule). -#}
{% macro current_rows(relation, version_key) -%}
    {%- set same_key = [] -%}
    {%- for column in version_key + ['_batch_id'] -%}
        {%- do same_key.append('rows_.' ~ column ~ ' is not distinct from latest_.' ~ column) -%}
    {%- endfor -%}
    select rows_.*
    from {{ relation }} as rows_
    {{ semi_join() }} (
        select {{ version_key | join(', ') }}, _batch_id
        from (select distinct {{ version_key | join(', ') }}, _batch_id, _source_file, _loaded_at from {{ relation }})
        qualify dense_rank() over (
            partition by {{ version_key | join(', ') }}
            order by _source_file desc, _loaded_at desc, _batch_id desc
        ) = 1
    ) as latest_
        on {{ same_key | join(' and ') }}
{%- endmacro %}

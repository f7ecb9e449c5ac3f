{#- A unit's rank on a node's score within a round (and within `group_column` when given), NULL
    for a unit without a score or without that group. Ranked on the score rounded to 1e-9 points
    (see marts/scores.sql): standard SQL, the same on every engine. -#}
{% macro score_rank(score, partition_by, group_column=none) -%}
    cast(
        case
            when {{ score }} is not null{% if group_column %} and {{ group_column }} is not null{% endif %}
                then
                    rank() over (
                        partition by {{ partition_by }}{% if group_column %}, {{ group_column }}{% endif %}
                        order by round({{ score }}, 9) desc nulls last
                    )
        end as integer
    )
{%- endmacro %}

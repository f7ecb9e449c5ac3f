{#- Engine-specific SQL, one dispatched macro per construct (docs/portability.md). Each has the
    DuckDB spelling the project was written in (`duckdb__`, or `default__` where it is standard SQL)
    and the Spark SQL one (`spark__`, Spark 4.x). Everything else in the models is SQL both engines
    read alike: FILTER (WHERE ...), QUALIFY, GROUP BY ALL, median(), any_value(), WITH RECURSIVE,
    split_part, try_cast and x::double are all accepted by DuckDB 1.5 and Spark 4.3. -#}

{#- The text type in casts: Spark's VARCHAR needs a length, STRING is its unbounded text. -#}
{% macro text_type() -%}
    {{ return(adapter.dispatch('text_type', 'vetdx')()) }}
{%- endmacro %}
{% macro default__text_type() -%} varchar {%- endmacro %}
{% macro spark__text_type() -%} string {%- endmacro %}

{#- A one-element list. -#}
{% macro list_of(expr) -%}
    {{ return(adapter.dispatch('list_of', 'vetdx')(expr)) }}
{%- endmacro %}
{% macro duckdb__list_of(expr) -%} [{{ expr }}] {%- endmacro %}
{% macro spark__list_of(expr) -%} array({{ expr }}) {%- endmacro %}

{#- An empty list of text (lineage of nothing). -#}
{% macro empty_text_list() -%}
    {{ return(adapter.dispatch('empty_text_list', 'vetdx')()) }}
{%- endmacro %}
{% macro duckdb__empty_text_list() -%} [] {%- endmacro %}
{% macro spark__empty_text_list() -%} cast(array() as array<string>) {%- endmacro %}

{#- The distinct elements of two lists. DuckDB's list_concat reads a NULL list as empty (NULL only
    when both are); Spark's concat is NULL when either is, so the Spark form coalesces first. The
    order of the result is not meaningful on either engine (lineage sets). -#}
{% macro list_union(a, b) -%}
    {{ return(adapter.dispatch('list_union', 'vetdx')(a, b)) }}
{%- endmacro %}
{% macro duckdb__list_union(a, b) -%} list_distinct(list_concat({{ a }}, {{ b }})) {%- endmacro %}
{% macro spark__list_union(a, b) -%}
    case when {{ a }} is not null or {{ b }} is not null then
        array_distinct(concat(coalesce({{ a }}, {{ empty_text_list() }}), coalesce({{ b }}, {{ empty_text_list() }})))
    end
{%- endmacro %}

{#- Aggregate: the distinct elements of the lists of a group. -#}
{% macro list_union_agg(col) -%}
    {{ return(adapter.dispatch('list_union_agg', 'vetdx')(col)) }}
{%- endmacro %}
{% macro duckdb__list_union_agg(col) -%} list_distinct(flatten(list({{ col }}))) {%- endmacro %}
{% macro spark__list_union_agg(col) -%} array_distinct(flatten(collect_list({{ col }}))) {%- endmacro %}

{#- Aggregate: the distinct non-null values of a column as a sorted list, NULL when there are none
    (DuckDB's list() over no row is NULL; Spark's collect_set is then an empty array). -#}
{% macro sorted_distinct_agg(col) -%}
    {{ return(adapter.dispatch('sorted_distinct_agg', 'vetdx')(col)) }}
{%- endmacro %}
{% macro duckdb__sorted_distinct_agg(col) -%}
    list(distinct {{ col }} order by {{ col }}) filter (where {{ col }} is not null)
{%- endmacro %}
{% macro spark__sorted_distinct_agg(col) -%}
    case when count({{ col }}) > 0 then array_sort(collect_set({{ col }})) end
{%- endmacro %}

{#- A list with one element appended / whether a list holds an element. -#}
{% macro list_append_item(list_expr, item) -%}
    {{ return(adapter.dispatch('list_append_item', 'vetdx')(list_expr, item)) }}
{%- endmacro %}
{% macro duckdb__list_append_item(list_expr, item) -%} list_append({{ list_expr }}, {{ item }}) {%- endmacro %}
{% macro spark__list_append_item(list_expr, item) -%} array_append({{ list_expr }}, {{ item }}) {%- endmacro %}

{% macro list_has(list_expr, item) -%}
    {{ return(adapter.dispatch('list_has', 'vetdx')(list_expr, item)) }}
{%- endmacro %}
{% macro duckdb__list_has(list_expr, item) -%} list_contains({{ list_expr }}, {{ item }}) {%- endmacro %}
{% macro spark__list_has(list_expr, item) -%} array_contains({{ list_expr }}, {{ item }}) {%- endmacro %}

{#- The number of space-separated words of a text (a multiple-choice summary cell). -#}
{% macro word_count(text) -%}
    {{ return(adapter.dispatch('word_count', 'vetdx')(text)) }}
{%- endmacro %}
{% macro duckdb__word_count(text) -%}
    len(list_filter(string_split(trim({{ text }}), ' '), x -> x <> ''))
{%- endmacro %}
{% macro spark__word_count(text) -%}
    size(filter(split(trim({{ text }}), ' '), x -> x <> ''))
{%- endmacro %}

{#- Aggregate: values joined by `sep` in the order of `order_by`. -#}
{% macro ordered_string_agg(expr, sep, order_by) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'vetdx')(expr, sep, order_by)) }}
{%- endmacro %}
{% macro duckdb__ordered_string_agg(expr, sep, order_by) -%}
    string_agg({{ expr }}, {{ sep }} order by {{ order_by }})
{%- endmacro %}
{% macro spark__ordered_string_agg(expr, sep, order_by) -%}
    string_agg({{ expr }}, {{ sep }}) within group (order by {{ order_by }})
{%- endmacro %}

{#- A number as text with two decimals. DuckDB's printf rounds an exact binary tie to even (0.625 ->
    0.62); Java's formatter rounds it up, so the Spark form rounds half-even first. -#}
{% macro format_2dp(x) -%}
    {{ return(adapter.dispatch('format_2dp', 'vetdx')(x)) }}
{%- endmacro %}
{% macro duckdb__format_2dp(x) -%} printf('%.2f', {{ x }}) {%- endmacro %}
{% macro spark__format_2dp(x) -%} format_string('%.2f', bround(cast({{ x }} as double), 2)) {%- endmacro %}

{#- Every column of `alias` but `columns`. -#}
{% macro star_except(alias, columns) -%}
    {{ return(adapter.dispatch('star_except', 'vetdx')(alias, columns)) }}
{%- endmacro %}
{% macro duckdb__star_except(alias, columns) -%} {{ alias }}.* exclude ({{ columns | join(', ') }}) {%- endmacro %}
{% macro spark__star_except(alias, columns) -%} {{ alias }}.* except ({{ columns | join(', ') }}) {%- endmacro %}

{#- A one-column table k = 0 .. n - 1 (integer). -#}
{% macro integer_series(n) -%}
    {{ return(adapter.dispatch('integer_series', 'vetdx')(n)) }}
{%- endmacro %}
{% macro duckdb__integer_series(n) -%} select cast(range as integer) as k from range(0, {{ n }}) {%- endmacro %}
{% macro spark__integer_series(n) -%} select cast(id as int) as k from range(0, {{ n }}) {%- endmacro %}

{#- The keyword of a semi-join (rows of the left side with a match, each once). -#}
{% macro semi_join() -%}
    {{ return(adapter.dispatch('semi_join', 'vetdx')()) }}
{%- endmacro %}
{% macro duckdb__semi_join() -%} semi join {%- endmacro %}
{% macro spark__semi_join() -%} left semi join {%- endmacro %}

{#- Nearest-match join: for each left row, the one right row that matches the equality keys and is
    nearest across the inequality (DuckDB's ASOF join). Spark has no ASOF join: an inner join on the
    same condition, then `nearest_only` keeps the nearest row per left row. Written as
      from l {{ nearest_join() }} r on <keys> and l.t > r.t  where ...  {{ nearest_only('l.k1, l.k2', 'r.t desc') }} -#}
{% macro nearest_join() -%}
    {{ return(adapter.dispatch('nearest_join', 'vetdx')()) }}
{%- endmacro %}
{% macro duckdb__nearest_join() -%} asof inner join {%- endmacro %}
{% macro spark__nearest_join() -%} inner join {%- endmacro %}

{% macro nearest_only(partition_by, order_by) -%}
    {{ return(adapter.dispatch('nearest_only', 'vetdx')(partition_by, order_by)) }}
{%- endmacro %}
{% macro duckdb__nearest_only(partition_by, order_by) -%} {%- endmacro %}
{% macro spark__nearest_only(partition_by, order_by) -%}
    qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1
{%- endmacro %}

{#- A chain of named subqueries that use each other several times, as
      {% set ctes = [] %} {% do ctes.append(('name', sql)) %} ...  {{ with_ctes(ctes) }} select ...
    The walks of int_indicator_values_treated and int_node_scores_aggregated are such chains: each
    tree level reads the level below 5 times (scores, coverage, both sides of the Copeland pairs),
    each winsorising step reads all the states. DuckDB computes a CTE used more than once only once.
    Spark inlines every deterministic CTE, so 10 levels become ~5^10 copies of the first and the
    optimizer never finishes (cached views do not help: each keeps the whole plan below it, and the
    driver runs out of memory at the fourth step). On Spark each subquery is therefore written once
    to a table of schema `vetdx_scratch` (<model>__<name>) and read back through a temporary view
    of its own name, so the next one reads a table scan, not a plan. (Under a dbt unit test the refs
    are fixture CTEs of the test's single statement: the plain WITH then, on a small tree.) -#}
{% macro with_ctes(ctes) -%}
    {{ return(adapter.dispatch('with_ctes', 'vetdx')(ctes)) }}
{%- endmacro %}
{% macro default__with_ctes(ctes) -%}
with
{% for name, sql in ctes %}
{{ name }} as (
{{ sql }}
){{ ',' if not loop.last }}
{% endfor %}
{%- endmacro %}
{% macro spark__with_ctes(ctes) -%}
    {%- if model.resource_type == 'unit_test' or not execute -%}
        {{ default__with_ctes(ctes) }}
    {%- else -%}
        {%- do run_query('create database if not exists vetdx_scratch') -%}
        {#- only a subquery read more than once is written out; the others stay CTEs of the
            statements that read them (one table write costs ~1 s on local Spark) -#}
        {%- set inline = [] -%}
        {%- for name, sql in ctes -%}
            {%- set reads = [] -%}
            {%- for other, other_sql in ctes if other != name -%}
                {%- do reads.extend(modules.re.findall('\\b' ~ name ~ '\\b', other_sql)) -%}
            {%- endfor -%}
            {%- if reads | length > 1 -%}
                {%- set table = 'vetdx_scratch.`' ~ this.identifier ~ '__' ~ name ~ '`' -%}
                {%- do run_query('drop table if exists ' ~ table) -%}
                {%- do run_query('create table ' ~ table ~ ' using parquet as '
                    ~ (default__with_ctes(inline) if inline else '') ~ ' ' ~ sql) -%}
                {%- do run_query('create or replace temporary view ' ~ name ~ ' as select * from ' ~ table) -%}
            {%- else -%}
                {%- do inline.append((name, sql)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if inline -%}{{ default__with_ctes(inline) }}{%- endif -%}
    {%- endif -%}
{%- endmacro %}

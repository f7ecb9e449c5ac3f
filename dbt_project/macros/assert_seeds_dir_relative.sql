{#- dbt writes the SQL it ran for a seed to <target-path>/run/<project>/<seed path>. With an
    absolute seeds folder that join IS the seed file itself: `dbt seed` then overwrites the CSVs
    with "create table ... COPY ..." text (observed with dbt-core 1.11 / dbt-duckdb 1.11). The
    `seeds_dir` var must therefore be relative to dbt_project/ (os.path.relpath(folder, dbt_project)),
    and this on-run-start hook stops the run before any seed is written when it is not. -#}
{% macro assert_seeds_dir_relative() %}
    {%- set seeds_dir = var('seeds_dir', '../data/seeds') | string -%}
    {%- if seeds_dir.startswith('/') or seeds_dir.startswith('\\') or modules.re.match('^[A-Za-z]:', seeds_dir) -%}
        {{ exceptions.raise_compiler_error(
            "var seeds_dir must be relative to dbt_project/ (got an absolute path: " ~ seeds_dir ~ "). "
            ~ "dbt would overwrite the seed CSV files with the SQL it ran; pass os.path.relpath(seeds_dir, dbt_project_dir)."
        ) }}
    {%- endif -%}
    select 1
{% endmacro %}

-- Built-in indicators from institution connectivity records and equipment inventories, per country
-- and year. Connectivity records take precedence (priority 1) over the survey's answers to the same
-- questions (priority 2). "New" institutions opened in the 15 years before the round.
{% set new_institution_years = 15 -%}
with

connectivity as (
    select * from {{ ref('stg_raw__connectivity_records') }}
),

items as (
    select * from {{ ref('stg_raw__equipment_items') }}
),

taxonomy as (
    select
        lower(trim(item_code)) as item_code,
        cast(is_computer as boolean) as is_computer,
        cast(is_digital as boolean) as is_digital
    from {{ ref('equipment_taxonomy') }}
),

connectivity_by_age as (
    select
        *,
        case
            when opened_year is null then null
            when opened_year > round - {{ new_institution_years }} then 'new'
            else 'old'
        end as age_group
    from connectivity
),

connectivity_values as (
    select
        iso3,
        round,
        100.0 * count(*) filter (where download_mbps >= 20)
        / nullif(count(download_mbps), 0) as inf_broadband_20mbps_pct,
        count(download_mbps) as n_broadband,
        100.0 * avg(cast(has_electricity as integer)) as inf_electricity_institutions_pct,
        count(has_electricity) as n_electricity,
        100.0 * avg(cast(has_computer_lab as integer)) as inf_computer_lab_pct,
        count(has_computer_lab) as n_computer_lab,
        100.0 * count(*) filter (where age_group = 'new' and download_mbps >= 20)
        / nullif(count(download_mbps) filter (where age_group = 'new'), 0)
        - 100.0 * count(*) filter (where age_group = 'old' and download_mbps >= 20)
        / nullif(count(download_mbps) filter (where age_group = 'old'), 0) as inf_connectivity_divide_pp,
        count(download_mbps) filter (where age_group is not null) as n_divide,
        {{ distinct_list("source_file") }} as lineage_files,
        {{ distinct_list("batch_id") }} as lineage_batches
    from connectivity_by_age
    group by iso3, round
),

item_values as (
    select
        items.iso3,
        items.round,
        100.0 * sum(items.in_working_order) filter (where items.quantity > 0)
        / nullif(sum(items.quantity) filter (where items.in_working_order is not null), 0) as inf_equipment_working_pct,
        count(items.in_working_order) filter (where items.quantity > 0) as n_working,
        sum(items.quantity * greatest(items.round - items.year_acquired, 0)) filter (
            where items.year_acquired is not null
        )
        / nullif(sum(items.quantity) filter (where items.year_acquired is not null), 0) as inf_equipment_age_years,
        count(items.year_acquired) as n_age,
        coalesce(sum(items.quantity) filter (where taxonomy.is_digital), 0) as inf_digital_items_per_institution,
        count(distinct items.institution_id) as n_institutions,
        {{ distinct_list("items.source_file") }} as lineage_files,
        {{ distinct_list("items.batch_id") }} as lineage_batches
    from items
    left join taxonomy on taxonomy.item_code = items.item_code
    group by items.iso3, items.round
),

{% set connectivity_indicators = [
    ('inf_broadband_20mbps_pct', 'n_broadband'),
    ('inf_electricity_institutions_pct', 'n_electricity'),
    ('inf_computer_lab_pct', 'n_computer_lab'),
    ('inf_connectivity_divide_pp', 'n_divide'),
] %}
{% set item_indicators = [
    ('inf_equipment_working_pct', 'n_working'),
    ('inf_equipment_age_years', 'n_age'),
    ('inf_digital_items_per_institution', 'n_institutions'),
] %}

derived as (
    {%- for code, n in connectivity_indicators %}
    select
        iso3, round, '{{ code }}' as indicator, cast({{ code }} as double) as raw_value,
        'inventory:connectivity' as source, 1 as source_priority, {{ n }} as n_observations,
        lineage_files, lineage_batches
    from connectivity_values
    union all
    {%- endfor %}
    {%- for code, n in item_indicators %}
    select
        iso3, round, '{{ code }}' as indicator, cast({{ code }} as double) as raw_value,
        'inventory:equipment' as source, 1 as source_priority, {{ n }} as n_observations,
        lineage_files, lineage_batches
    from item_values
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from derived
where raw_value is not null

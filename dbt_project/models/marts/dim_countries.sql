{{ config(alias="countries") }}
-- The units of the index: the 57 OIC member states, or a user's list of any units (countries
-- outside the OIC, regions, institutions) with whatever group columns it has; a column the list
-- does not have is NULL here.
{% set countries_relation = ref('countries') -%}
{% set present = catalogue_columns(countries_relation) -%}
with

source as (
    select * from {{ countries_relation }}
),

renamed as (
    select
        cast(upper(trim(iso3)) as {{ text_type() }}) as iso3,
        {%- for column in ['iso2', 'name_en', 'name_fr', 'name_ar', 'oic_group', 'wb_region', 'income_group'] %}
        {{ blank_to_null(catalogue_column(present, column, 'null')) }} as {{ column }},
        {%- endfor %}
        {{ data_label() }} as data_label
    from source
)

select
    iso3, iso2, coalesce(name_en, iso3) as name_en, name_fr, name_ar, oic_group, wb_region, income_group, data_label
from renamed

{{ config(alias="countries") }}
-- The 57 OIC member states (or a user's country list) with their comparison groups.
with

source as (
    select * from {{ ref('countries') }}
),

renamed as (
    select
        cast(upper(trim(iso3)) as varchar) as iso3,
        cast(iso2 as varchar) as iso2,
        cast(name_en as varchar) as name_en,
        cast(name_fr as varchar) as name_fr,
        cast(name_ar as varchar) as name_ar,
        cast(oic_group as varchar) as oic_group,
        cast(wb_region as varchar) as wb_region,
        cast(income_group as varchar) as income_group,
        {{ data_label() }} as data_label
    from source
)

select * from renamed

-- Current equipment inventory lines: for each (iso3, year), the rows of the latest batch.
with

source as (
    {{ current_rows(source('raw', 'equipment_inventory'), ['iso3', 'year']) }}
),

renamed as (
    select
        upper(trim(iso3)) as iso3,
        cast(year as integer) as round,
        institution_id,
        institution_name,
        lower(trim(item_code)) as item_code,
        lower(trim(category)) as category,
        quantity,
        in_working_order,
        year_acquired,
        funding_source,
        _source_file as source_file,
        _sha256 as source_sha256,
        _sheet as source_sheet,
        _row_number as source_row_number,
        _batch_id as batch_id,
        _loaded_at as loaded_at
    from source
)

select * from renamed

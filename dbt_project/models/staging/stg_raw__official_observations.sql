-- Current official observations: for each (iso3, year, indicator), the row of the latest batch.
with

source as (
    {{ current_rows(source('raw', 'official_series'), ['iso3', 'year', 'indicator']) }}
),

renamed as (
    select
        upper(trim(iso3)) as iso3,
        cast(year as integer) as round,
        trim(indicator) as series_code,
        value,
        source as publisher,
        note,
        _source_file as source_file,
        _sha256 as source_sha256,
        _sheet as source_sheet,
        _row_number as source_row_number,
        _batch_id as batch_id,
        _loaded_at as loaded_at
    from source
)

select * from renamed

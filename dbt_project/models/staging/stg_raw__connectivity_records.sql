-- Current institution connectivity records: for each (iso3, year), the rows of the latest batch.
with

source as (
    {{ current_rows(source('raw', 'institution_connectivity'), ['iso3', 'year']) }}
),

renamed as (
    select
        upper(trim(iso3)) as iso3,
        cast(year as integer) as round,
        institution_id,
        institution_name,
        opened_year,
        lower(trim(connectivity_type)) as connectivity_type,
        download_mbps,
        has_electricity,
        has_computer_lab,
        students,
        _source_file as source_file,
        _sha256 as source_sha256,
        _sheet as source_sheet,
        _row_number as source_row_number,
        _batch_id as batch_id,
        _loaded_at as loaded_at
    from source
)

select * from renamed

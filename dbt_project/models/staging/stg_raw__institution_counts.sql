-- Current ministry counts: for each (iso3, year), the rows of the latest batch that carried it.
with

source as (
    {{ current_rows(source('raw', 'institution_counts'), ['iso3', 'year']) }}
),

renamed as (
    select
        upper(trim(iso3)) as iso3,
        cast(year as integer) as round,
        lower(trim(vet_level)) as vet_level,
        lower(trim(ownership)) as ownership,
        lower(trim(sex)) as sex,
        lower(trim(measure)) as measure,
        value,
        _source_file as source_file,
        _sha256 as source_sha256,
        _sheet as source_sheet,
        _row_number as source_row_number,
        _batch_id as batch_id,
        _loaded_at as loaded_at
    from source
)

select * from renamed

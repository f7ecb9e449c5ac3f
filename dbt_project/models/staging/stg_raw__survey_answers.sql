-- Current answer cells: for each (iso3, round), the rows of the latest batch that carried it.
with

source as (
    {{ current_rows(source('raw', 'survey_answers'), ['iso3', 'round']) }}
),

renamed as (
    select
        response_id,
        upper(trim(iso3)) as iso3,
        cast(round as integer) as round,
        lower(trim(question_code)) as question_code,
        nullif(lower(trim(option_code)), '') as option_code,
        repeat_group,
        repeat_index,
        nullif(trim(value_text), '') as value_text,
        value_number,
        _source_file as source_file,
        _sha256 as source_sha256,
        _sheet as source_sheet,
        _row_number as source_row_number,
        _batch_id as batch_id,
        _loaded_at as loaded_at
    from source
)

select * from renamed

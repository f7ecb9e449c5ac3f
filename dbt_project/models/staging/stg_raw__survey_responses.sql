-- Current survey submissions: for each (iso3, round), the rows of the latest batch that carried it.
with

source as (
    {{ current_rows(source('raw', 'survey_responses'), ['iso3', 'round']) }}
),

renamed as (
    select
        response_id,
        upper(trim(iso3)) as iso3,
        cast(round as integer) as round,
        lower(form_kind) as form_kind,
        submitted_at,
        lower(trim(respondent_role)) as respondent_role,
        nullif(trim(institution_id), '') as institution_id,
        institution_name,
        respondent_key,
        form_version,
        validation_status,
        -- Kobo's "not approved" and ODK's "rejected" review states keep a submission out of the index.
        coalesce(
            lower(validation_status) like '%not_approved%'
            or lower(validation_status) like '%rejected%',
            false
        ) as is_rejected_by_reviewer,
        unmapped,
        _source_file as source_file,
        _sha256 as source_sha256,
        _sheet as source_sheet,
        _row_number as source_row_number,
        _batch_id as batch_id,
        _loaded_at as loaded_at
    from source
)

select * from renamed

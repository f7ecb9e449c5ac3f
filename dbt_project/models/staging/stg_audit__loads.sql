-- One row per file the loader saw; lets marts name the files behind a value.
with

source as (
    select * from {{ source('audit', 'loads') }}
),

renamed as (
    select
        batch_id,
        source,
        source_file,
        sha256 as source_sha256,
        size_bytes,
        detected_format,
        detected_encoding,
        rows_read,
        rows_landed,
        rows_quarantined,
        status,
        reason_code,
        message,
        unknown_columns,
        started_at,
        loaded_at
    from source
)

select * from renamed

-- Observations two files disagree on: each (iso3, year, indicator) that more than one file gives
-- with different values, the value kept (from the file whose path sorts last: the `current_rows`
-- macro's rule, identical whatever the order files arrived in) beside every other file's value,
-- so an analyst sees both numbers and both sources. Of each file, its latest version counts.

with

file_versions as (
    select
        upper(trim(iso3)) as iso3,
        cast(year as integer) as round,
        trim(indicator) as series_code,
        value,
        source as publisher,
        _source_file as source_file,
        dense_rank() over (
            partition by iso3, year, indicator, _source_file
            order by _loaded_at desc, _batch_id desc
        ) as version_rank
    from {{ source('raw', 'official_series') }}
),

latest_per_file as (
    select
        iso3,
        round,
        series_code,
        value,
        publisher,
        source_file,
        dense_rank() over (partition by iso3, round, series_code order by source_file desc) as file_rank
    from file_versions
    where version_rank = 1
),

kept as (
    select * from latest_per_file where file_rank = 1
),

conflicting as (
    select
        kept.iso3,
        kept.round,
        kept.series_code,
        kept.value as kept_value,
        kept.source_file as kept_file,
        kept.publisher as kept_publisher,
        other.value as other_value,
        other.source_file as other_file,
        other.publisher as other_publisher,
        other.value - kept.value as difference
    from kept
    inner join latest_per_file as other
        on other.iso3 = kept.iso3
        and other.round = kept.round
        and other.series_code = kept.series_code
        and other.file_rank > 1
    where other.value is distinct from kept.value
)

select * from conflicting

-- Denominator series by country and round, referenced by the catalogue's `denominator` column:
--   students, teachers, institutions          national totals from the ministry counts
--   survey_students                           students of responding institutions that also reported learner devices
--   inventory_institutions                    institutions present in the equipment inventory
--   <any official series code>                e.g. SP.POP.TOTL when an official file carries it
with

counts as (
    select
        iso3, round, measure as denominator, value, 'institution_counts' as source,
        lineage_files, lineage_batches
    from {{ ref('int_institution_counts_totalled') }}
),

survey_institutions as (
    select * from {{ ref('int_survey_responses_pivoted') }}
    where respondent_role = 'institution'
),

survey as (
    select
        iso3, round, 'survey_students' as denominator,
        cast(
            sum(students_enrolled) filter (where learner_devices is not null and students_enrolled > 0) as double
        ) as value,
        'survey:institution' as source,
        {{ list_union_agg('lineage_files') }} as lineage_files,
        {{ list_union_agg('lineage_batches') }} as lineage_batches
    from survey_institutions
    group by iso3, round
),

inventory as (
    select
        iso3, round, 'inventory_institutions' as denominator,
        cast(count(distinct institution_id) as double) as value,
        'inventory:equipment' as source,
        {{ distinct_list("source_file") }} as lineage_files,
        {{ distinct_list("batch_id") }} as lineage_batches
    from {{ ref('stg_raw__equipment_items') }}
    group by iso3, round
),

official as (
    select
        iso3, round, series_code as denominator, value, 'official:' || coalesce(publisher, series_code) as source,
        {{ list_of('source_file') }} as lineage_files, {{ list_of('batch_id') }} as lineage_batches
    from {{ ref('stg_raw__official_observations') }}
    where value is not null
),

unioned as (
    select * from counts
    union all
    select * from survey
    union all
    select * from inventory
    union all
    select * from official
)

select * from unioned
where value is not null
-- a name defined twice (an official series called 'students'): the ministry/survey figure wins
qualify
    row_number() over (
        partition by iso3, round, lower(denominator)
        order by case when source like 'official:%' then 1 else 0 end
    ) = 1

-- National totals of institutions, students and teachers per country and year. Ministry files
-- break counts down by VET level, ownership and sex, each with or without a 'total' row. For each
-- breakdown, the 'total' rows are used when the file has them, otherwise the non-total rows are
-- summed: a file of levels x ownership with sex 'total' sums over levels and ownership.
with

counts as (
    select * from {{ ref('stg_raw__institution_counts') }}
    where value is not null
),

totals_given as (
    select
        iso3, round, measure,
        bool_or(vet_level = 'total') as has_level_total,
        bool_or(ownership = 'total') as has_ownership_total,
        bool_or(sex = 'total') as has_sex_total
    from counts
    group by iso3, round, measure
),

totalled as (
    select
        counts.iso3,
        counts.round,
        counts.measure,
        sum(counts.value) as value,
        {{ distinct_list("counts.source_file") }} as lineage_files,
        {{ distinct_list("counts.batch_id") }} as lineage_batches
    from counts
    inner join totals_given
        on totals_given.iso3 = counts.iso3
        and totals_given.round = counts.round
        and totals_given.measure = counts.measure
    where (counts.vet_level = 'total') = totals_given.has_level_total
        and (counts.ownership = 'total') = totals_given.has_ownership_total
        and (counts.sex = 'total') = totals_given.has_sex_total
    group by counts.iso3, counts.round, counts.measure
)

select * from totalled

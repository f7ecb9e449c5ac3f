-- Built-in survey indicators per country and round. Institution questionnaires aggregate as a
-- ratio of sums for counts (sum of numerators / sum of denominators over the institutions that
-- answered both) and as a mean for Likert scores, percentages and yes/no shares; the national focal
-- point's latest accepted submission gives the policy and finance answers. Where the catalogue
-- names a denominator, raw_value is the numerator (int_denominators_derived has the denominator).
-- Industry partnerships per institution: the institutions' mean, else the national total divided
-- by the ministry's count of institutions.
{% set institution_indicators = [
    ('inf_broadband_20mbps_pct', '100.0 * count(*) filter (where broadband_mbps >= 20) / nullif(count(broadband_mbps), 0)', 'count(broadband_mbps)', 2),
    ('inf_electricity_institutions_pct', '100.0 * avg(reliable_electricity)', 'count(reliable_electricity)', 2),
    ('inf_computer_lab_pct', '100.0 * avg(has_computer_lab)', 'count(has_computer_lab)', 2),
    ('inf_computers_per100_students', 'sum(learner_devices) filter (where students_enrolled > 0)', 'count(learner_devices) filter (where students_enrolled > 0)', 1),
    ('dsk_teachers_trained_pct', '100.0 * sum(teachers_trained_digital) filter (where teachers_total > 0) / nullif(sum(teachers_total) filter (where teachers_trained_digital is not null), 0)', 'count(teachers_trained_digital) filter (where teachers_total > 0)', 1),
    ('dsk_managers_skills_likert', 'avg(managers_digital_skills)', 'count(managers_digital_skills)', 1),
    ('dsk_graduates_certified_pct', 'avg(graduates_certified_pct)', 'count(graduates_certified_pct)', 1),
    ('cur_blended_programmes_pct', '100.0 * sum(programmes_blended) filter (where programmes_total > 0) / nullif(sum(programmes_total) filter (where programmes_blended is not null), 0)', 'count(programmes_blended) filter (where programmes_total > 0)', 1),
    ('cur_digital_content_pct', '100.0 * sum(programmes_digital_content) filter (where programmes_total > 0) / nullif(sum(programmes_total) filter (where programmes_digital_content is not null), 0)', 'count(programmes_digital_content) filter (where programmes_total > 0)', 1),
    ('cur_vr_ar_programmes_pct', '100.0 * sum(programmes_vr_ar) filter (where programmes_total > 0) / nullif(sum(programmes_total) filter (where programmes_vr_ar is not null), 0)', 'count(programmes_vr_ar) filter (where programmes_total > 0)', 1),
    ('cur_ict_hours_per_programme', 'avg(coalesce(ict_hours_per_programme, programme_ict_hours_mean))', 'count(coalesce(ict_hours_per_programme, programme_ict_hours_mean))', 1),
    ('cur_digital_tools_count', 'avg(digital_tools_count)', 'count(digital_tools_count)', 1),
    ('cur_content_quality_likert', 'avg(content_quality)', 'count(content_quality)', 1),
    ('fin_maintenance_budget_pct', '100.0 * avg(maintenance_budget)', 'count(maintenance_budget)', 1),
    ('fin_industry_partnerships_per_institution', 'avg(industry_partnerships)', 'count(industry_partnerships)', 1),
] -%}
{% set national_indicators = [
    ('dsk_trained_staff_per100_teachers', 'teachers_trained_digital', 1),
    ('pol_strategy_status', 'national_strategy', 1),
    ('pol_legal_framework_likert', 'legal_framework', 1),
    ('pol_data_driven_policy_likert', 'data_driven_policy', 1),
    ('pol_standards_interop_likert', 'standards_interoperability', 1),
    ('fin_digital_budget_share_pct', 'digital_budget_share_pct', 1),
    ('fin_funding_sources_count', 'funding_sources_count', 1),
    ('fin_maintenance_budget_pct', '100.0 * maintenance_budget', 2),
    ('fin_industry_partnerships_per_institution', 'industry_partnerships / nullif(institutions_total, 0)', 2),
] -%}
with

responses as (
    select * from {{ ref('int_survey_responses_pivoted') }}
),

institutions as (
    select * from responses where respondent_role = 'institution'
),

national as (
    select
        responses.*,
        counts.value as institutions_total,
        counts.lineage_files as counts_lineage_files,
        counts.lineage_batches as counts_lineage_batches
    from responses
    left join {{ ref('int_institution_counts_totalled') }} as counts
        on counts.iso3 = responses.iso3 and counts.round = responses.round and counts.measure = 'institutions'
    where responses.respondent_role = 'national'
    qualify
        row_number() over (
            partition by responses.iso3, responses.round
            order by responses.submitted_at desc nulls last, responses.response_id desc
        ) = 1
),

institution_values as (
    {%- for code, expression, n_expression, priority in institution_indicators %}
    select
        iso3,
        round,
        '{{ code }}' as indicator,
        cast({{ expression }} as double) as raw_value,
        'survey:institution' as source,
        {{ priority }} as source_priority,
        {{ n_expression }} as n_observations,
        {{ list_union_agg('lineage_files') }} as lineage_files,
        {{ list_union_agg('lineage_batches') }} as lineage_batches
    from institutions
    group by iso3, round
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

national_values as (
    {%- for code, expression, priority in national_indicators %}
    select
        iso3,
        round,
        '{{ code }}' as indicator,
        cast({{ expression }} as double) as raw_value,
        'survey:national' as source,
        {{ priority }} as source_priority,
        1 as n_observations,
        {%- if 'institutions_total' in expression %}
        {{ list_union(
            'lineage_files', 'coalesce(counts_lineage_files, ' ~ empty_text_list() ~ ')'
        ) }} as lineage_files,
        {{ list_union(
            'lineage_batches', 'coalesce(counts_lineage_batches, ' ~ empty_text_list() ~ ')'
        ) }} as lineage_batches
        {%- else %}
        lineage_files,
        lineage_batches
        {%- endif %}
    from national
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

derived as (
    select * from institution_values
    union all
    select * from national_values
)

select * from derived
where raw_value is not null

-- One row per accepted submission with the answers the built-in indicators use as columns.
-- Multiple-choice questions count the options ticked (one row per option with value 1), or the
-- space-separated codes of the summary cell when the export has no option columns.
{% set numeric_questions = [
    'broadband_mbps', 'has_computer_lab', 'reliable_electricity', 'learner_devices',
    'students_enrolled', 'teachers_total', 'teachers_trained_digital', 'managers_digital_skills',
    'graduates_certified_pct', 'programmes_total', 'programmes_blended', 'programmes_digital_content',
    'programmes_vr_ar', 'ict_hours_per_programme', 'content_quality', 'national_strategy',
    'legal_framework', 'data_driven_policy', 'standards_interoperability',
    'digital_budget_share_pct', 'maintenance_budget', 'industry_partnerships'
] -%}
{% set multiple_choice_questions = ['digital_tools', 'funding_sources'] -%}
{#- the per-option helper columns final folds into one count per question -#}
{% set folded = [] -%}
{% for question in multiple_choice_questions -%}
{% do folded.extend([question ~ '_ticked', question ~ '_option_cells', question ~ '_summary']) -%}
{% endfor -%}
with

answers as (
    select * from {{ ref('int_survey_answers_valued') }}
),

main_sheet as (
    select * from answers where repeat_group is null
),

repeats as (
    select
        response_id,
        avg(value) filter (where question_code = 'programme_ict_hours') as programme_ict_hours_mean
    from answers
    where repeat_group is not null
    group by response_id
),

pivoted as (
    select
        response_id,
        iso3,
        round,
        any_value(respondent_role) as respondent_role,
        any_value(institution_id) as institution_id,
        max(submitted_at) as submitted_at,
        {%- for question in numeric_questions %}
        max(value) filter (where question_code = '{{ question }}' and option_code is null) as {{ question }},
        {%- endfor %}
        {%- for question in multiple_choice_questions %}
        count(distinct option_code) filter (
            where question_code = '{{ question }}' and option_code is not null and coalesce(value, 1) > 0
        ) as {{ question }}_ticked,
        count(*) filter (
            where question_code = '{{ question }}' and option_code is not null
        ) as {{ question }}_option_cells,
        max(value_text) filter (
            where question_code = '{{ question }}' and option_code is null
        ) as {{ question }}_summary,
        {%- endfor %}
        {{ distinct_list("source_file") }} as lineage_files,
        {{ distinct_list("batch_id") }} as lineage_batches
    from main_sheet
    group by response_id, iso3, round
),

final as (
    select
        {{ star_except('pivoted', folded) }},
        {%- for question in multiple_choice_questions %}
        case
            when pivoted.{{ question }}_option_cells > 0 then pivoted.{{ question }}_ticked
            when pivoted.{{ question }}_summary is not null
                then {{ word_count('pivoted.' ~ question ~ '_summary') }}
        end as {{ question }}_count,
        {%- endfor %}
        repeats.programme_ict_hours_mean
    from pivoted
    left join repeats on repeats.response_id = pivoted.response_id
)

select * from final

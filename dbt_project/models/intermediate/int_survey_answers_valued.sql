-- Current answer cells of accepted submissions, each with one numeric value: the parser's
-- value_number, else the choice list's value of the answer code (survey_choices), else the text
-- read as a number. Carries the respondent's role and institution from the submission.
with

answers as (
    select * from {{ ref('stg_raw__survey_answers') }}
),

responses as (
    select * from {{ ref('stg_raw__survey_responses') }}
    where not is_rejected_by_reviewer
),

codebook as (
    select
        lower(trim(question_code)) as question_code,
        lower(trim(question_type)) as question_type,
        nullif(trim(list_name), '') as list_name
    from {{ ref('survey_codebook') }}
),

choices as (
    select
        trim(list_name) as list_name,
        lower(trim(cast(choice_code as {{ text_type() }}))) as choice_code,
        try_cast(value as double) as choice_value
    from {{ ref('survey_choices') }}
),

valued as (
    select
        answers.response_id,
        answers.iso3,
        answers.round,
        responses.respondent_role,
        responses.institution_id,
        responses.submitted_at,
        answers.question_code,
        codebook.question_type,
        answers.option_code,
        answers.repeat_group,
        answers.repeat_index,
        answers.value_text,
        coalesce(answers.value_number, choices.choice_value, try_cast(answers.value_text as double)) as value,
        answers.source_file,
        answers.source_sheet,
        answers.source_row_number,
        answers.batch_id
    from answers
    inner join responses
        on responses.response_id = answers.response_id
        and responses.iso3 = answers.iso3
        and responses.round = answers.round
    left join codebook on codebook.question_code = answers.question_code
    left join choices
        on choices.list_name = codebook.list_name
        and choices.choice_code = lower(answers.value_text)
)

select * from valued

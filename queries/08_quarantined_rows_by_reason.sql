-- Quarantined rows per file and reason, across every raw table (schema `quarantine`).
-- The `original` column (cells exactly as read) is left out on purpose: survey files can carry
-- personal data; open it only when a row has to be fixed at its source.
with q as (
    select 'survey_responses' as target_table, * exclude (original) from quarantine.survey_responses
    union all by name
    select 'survey_answers' as target_table, * exclude (original) from quarantine.survey_answers
    union all by name
    select 'institution_counts' as target_table, * exclude (original) from quarantine.institution_counts
    union all by name
    select 'equipment_inventory' as target_table, * exclude (original) from quarantine.equipment_inventory
    union all by name
    select 'institution_connectivity' as target_table, * exclude (original) from quarantine.institution_connectivity
    union all by name
    select 'official_series' as target_table, * exclude (original) from quarantine.official_series
)
select _source_file as source_file, target_table, reason_code, column_name, count(*) as rows,
       min(_row_number) as first_row, any_value(message) as example_message
from q
group by all
order by rows desc, source_file, target_table, reason_code;

{% test within_range(model, column, min_value, max_value) %}
select *
from {{ model }}
where {{ column }} < {{ min_value }} - 1e-9 or {{ column }} > {{ max_value }} + 1e-9 or isnan({{ column }})
{% endtest %}

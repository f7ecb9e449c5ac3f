{#- Bias-corrected sample skewness and excess kurtosis (the definitions of DuckDB's skewness() and
    kurtosis(), and of pipelines/index/reference.py) from the deviations `dev` = x - mean of a group.
    Computed from moments rather than with DuckDB's aggregates, which raise "out of range" on
    near-constant data; a group with (relative) variance below 1e-20 has no shape: NULL. -#}
{% macro no_spread(dev, mean) -%}
    (avg({{ dev }} * {{ dev }}) <= 1e-20 * (1 + any_value({{ mean }}) * any_value({{ mean }})))
{%- endmacro %}

{% macro sample_skewness(dev, mean) -%}
    case when count(*) >= 3 and not {{ no_spread(dev, mean) }} then
        sqrt(count(*) * (count(*) - 1.0)) / (count(*) - 2.0)
        * avg({{ dev }} * {{ dev }} * {{ dev }}) / pow(avg({{ dev }} * {{ dev }}), 1.5)
    end
{%- endmacro %}

{% macro sample_kurtosis(dev, mean) -%}
    case when count(*) >= 4 and not {{ no_spread(dev, mean) }} then
        (count(*) - 1.0) / ((count(*) - 2.0) * (count(*) - 3.0))
        * ((count(*) + 1.0) * (avg(pow({{ dev }}, 4)) / pow(avg({{ dev }} * {{ dev }}), 2) - 3.0) + 6.0)
    end
{%- endmacro %}

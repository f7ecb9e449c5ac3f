{#- The value transforms of the catalogue (`transform`) and of outlier treatment, applied to the
    values and to the bounds alike so goalposts stay in the indicator's own unit:
      none    x
      ln      ln(x), undefined (NULL) at x <= 0 (the catalogue transform reports why)
      log1p   ln(1 + x), NULL at x <= -1 (`log` is its alias: vetdx's original transform)
      sqrt    sqrt(x), NULL at x < 0
    A NULL kind is `none`. -#}
{% macro safe_log(x) -%}
    case when {{ x }} > -1 then ln(1 + {{ x }}) end
{%- endmacro %}

{% macro apply_transform(x, kind) -%}
    case coalesce({{ kind }}, 'none')
        when 'ln' then case when {{ x }} > 0 then ln({{ x }}) end
        when 'log1p' then {{ safe_log(x) }}
        when 'sqrt' then case when {{ x }} >= 0 then sqrt({{ x }}) end
        else {{ x }}
    end
{%- endmacro %}

{#- The log of outlier treatment: `log1p` = ln(1 + x) (vetdx's `auto` fallback and `log`), `log_ct`
    = COINr's log_CT, ln(x + shift) with shift = 0.01 (max - min) - min of the untreated pool. -#}
{% macro apply_treatment_log(x, kind, shift) -%}
    case coalesce({{ kind }}, 'none')
        when 'log1p' then {{ safe_log(x) }}
        when 'log_ct' then case when {{ x }} + {{ shift }} > 0 then ln({{ x }} + {{ shift }}) end
        else {{ x }}
    end
{%- endmacro %}

-- How much of each country's data is imputed or flagged, per round: the first thing to check before
-- quoting a score. Coverage below ~65% (JRC rule of thumb) deserves a caveat in the report.
select v.iso3, c.name_en, v.round, count(*) as indicators,
       count(*) filter (where v.is_imputed) as imputed,
       round(100.0 * count(*) filter (where v.is_imputed) / count(*), 1) as imputed_pct,
       count(*) filter (where v.raw_value is null) as missing_raw,
       string_agg(distinct v.quality_flag, ', ' order by v.quality_flag) as quality_flags,
       any_value(v.data_label) as data_label
from marts.indicator_values v
join marts.countries c using (iso3)
group by all
order by v.round desc, imputed_pct desc, v.iso3;

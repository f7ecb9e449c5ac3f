-- One country against the OIC median and its OIC group's median, every dimension, every round.
-- Change the ISO3 code in `params` (e.g. 'AZE', 'JOR', 'NGA').
with params as (select 'AZE' as iso3),
country as (select c.* from marts.countries c join params using (iso3)),
medians as (
    select round, node, group_type, group_value, value
    from marts.benchmarks where benchmark = 'median'
)
select g.round, g.dimension, i.name_en as dimension_name, round(g.score, 1) as score,
       round(oic.value, 1) as oic_median, round(grp.value, 1) as group_median,
       country.oic_group, round(g.score - oic.value, 1) as vs_oic_median,
       round(g.score - grp.value, 1) as vs_group_median, g.data_label
from marts.gap_indices g
join country using (iso3)
left join marts.indicators i on i.code = g.dimension
left join medians oic on oic.round = g.round and oic.node = g.dimension and oic.group_type = 'oic'
left join medians grp on grp.round = g.round and grp.node = g.dimension
      and grp.group_type = 'oic_group' and grp.group_value = country.oic_group
order by g.round desc, g.dimension;

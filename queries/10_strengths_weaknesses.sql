-- Strengths and weaknesses of one country in the latest round: the indicators furthest above and
-- below the OIC median (the same rule as the country profiles). Change the ISO3 code in `params`.
with params as (select 'JOR' as iso3),
latest as (select max(round) as round from marts.scores),
diffs as (
    select s.node, i.name_en, round(s.score, 1) as score, round(b.value, 1) as oic_median,
           s.score - b.value as diff, s.data_label
    from marts.scores s
    join latest using (round)
    join params using (iso3)
    join marts.indicators i on i.code = s.node
    join marts.benchmarks b on b.round = s.round and b.node = s.node
         and b.group_type = 'oic' and b.benchmark = 'median'
    where s.node_type = 'indicator' and s.score is not null
)
select case when diff > 0 then 'strength' else 'weakness' end as kind, node, name_en, score, oic_median,
       round(diff, 1) as vs_oic_median, data_label
from diffs
where diff <> 0
qualify row_number() over (partition by diff > 0 order by abs(diff) desc, node) <= 3
order by kind, abs(diff) desc;

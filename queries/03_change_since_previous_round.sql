-- Change since the previous round, per country and dimension (latest round vs the one before).
-- change_since_previous is computed by the pipeline; the explicit join shows the two scores.
with rounds as (select distinct round from marts.gap_indices),
latest as (select max(round) as round from rounds),
previous as (select max(round) as round from rounds where round < (select round from latest))
select cur.iso3, c.name_en, cur.dimension, prev.round as previous_round, cur.round as latest_round,
       round(prev.score, 1) as previous_score, round(cur.score, 1) as latest_score,
       round(cur.change_since_previous, 1) as change, cur.rank as latest_rank, prev.rank as previous_rank,
       cur.data_label
from marts.gap_indices cur
join latest on cur.round = latest.round
join marts.countries c on c.iso3 = cur.iso3
left join marts.gap_indices prev
       on prev.iso3 = cur.iso3 and prev.dimension = cur.dimension
      and prev.round = (select round from previous)
order by cur.dimension, change desc nulls last, cur.iso3;

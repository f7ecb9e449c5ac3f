-- Ranks that are not robust: countries whose 90% rank interval spans 3 or more places in the latest
-- round (from the Monte Carlo uncertainty analysis). Quote these ranks as ranges.
with latest as (select max(round) as round from marts.rank_intervals)
select ri.dimension, ri.iso3, c.name_en, g.rank, ri.median_rank, ri.rank_p05, ri.rank_p95,
       ri.rank_p95 - ri.rank_p05 as width, ri.draws, ri.data_label
from marts.rank_intervals ri
join latest using (round)
join marts.countries c using (iso3)
left join marts.gap_indices g using (iso3, round, dimension)
where ri.rank_p95 - ri.rank_p05 >= 3
order by width desc, ri.dimension, ri.median_rank;

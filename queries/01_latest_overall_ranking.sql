-- Overall index, latest round: rank, score, gap and the 90% rank interval of every country.
-- Rank 1 = smallest gap. A wide interval (rank_p05..rank_p95) means the rank depends on
-- methodological choices: report it as a range. data_label non-NULL = synthetic sample data.
with latest as (select max(round) as round from marts.gap_indices)
select g.round, g.rank, g.iso3, c.name_en, c.oic_group, round(g.score, 1) as score,
       round(g.gap, 1) as gap, ri.rank_p05, ri.rank_p95, g.coverage, g.data_label
from marts.gap_indices g
join latest using (round)
join marts.countries c using (iso3)
left join marts.rank_intervals ri using (iso3, round, dimension)
where g.dimension = 'overall'
order by g.rank nulls last, g.iso3;

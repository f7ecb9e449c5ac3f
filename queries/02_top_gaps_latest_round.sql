-- Largest gaps of the latest round: for each country, its dimension with the largest gap, and how
-- far it is from the OIC median and from its own OIC group's median on that dimension.
with latest as (select max(round) as round from marts.gap_indices),
ranked as (
    select g.*, row_number() over (partition by g.iso3 order by g.gap desc, g.dimension) as nth
    from marts.gap_indices g join latest using (round)
    where g.dimension <> 'overall' and g.gap is not null
)
select r.iso3, c.name_en, r.dimension, i.name_en as dimension_name, round(r.score, 1) as score,
       round(r.gap, 1) as gap, round(r.gap_to_oic_median, 1) as gap_to_oic_median,
       round(r.gap_to_group_median, 1) as gap_to_group_median, r.data_label
from ranked r
join marts.countries c using (iso3)
left join marts.indicators i on i.code = r.dimension
where r.nth = 1
order by r.gap desc, r.iso3;

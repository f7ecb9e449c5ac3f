-- The indicators behind one country's dimension score: walk the index tree down from the dimension
-- and show each indicator's raw, imputed, treated and normalised value with its flags.
-- Change the country, dimension and round in `params`.
with recursive params as (
    select 'AZE' as iso3, 'infrastructure' as dimension, (select max(round) from marts.scores) as round
),
tree as (
    select code, parent, node_type, 1 as depth from marts.indicators
    where code = (select dimension from params)
    union all
    select i.code, i.parent, i.node_type, t.depth + 1
    from marts.indicators i join tree t on i.parent = t.code
)
select t.depth, t.parent, v.indicator, i.name_en, i.unit, i.weight, v.raw_value, v.denominated_value,
       v.imputed_value, v.is_imputed, v.imputation_method, v.treated_value, v.treatment,
       round(v.normalised_score, 1) as normalised_score, round(s.score, 1) as node_score, v.source,
       v.quality_flag, v.data_label
from tree t
join marts.indicators i on i.code = t.code
join marts.indicator_values v on v.indicator = t.code
left join marts.scores s on s.iso3 = v.iso3 and s.round = v.round and s.node = v.indicator
where t.node_type = 'indicator'
  and v.iso3 = (select iso3 from params) and v.round = (select round from params)
order by t.parent, v.indicator;

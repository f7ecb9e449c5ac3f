-- Every option of the catalogue is one the pipeline implements.
with nodes as (select * from {{ ref('int_catalogue_nodes_resolved') }})
select code, 'direction must be 1 or -1' as problem from nodes where direction not in (1, -1)
union all
select code, 'weight must be >= 0' from nodes where weight < 0
union all
select code, 'unknown normalisation ' || normalisation from nodes
where is_leaf and normalisation not in ('minmax', 'goalposts', 'zscore', 'target', 'frontier', 'rank')
union all
select code, 'unknown aggregation ' || aggregation from nodes
where not is_leaf and aggregation not in ('arithmetic', 'geometric', 'harmonic')
union all
select code, 'unknown transform ' || transform from nodes where transform not in ('none', 'log')
union all
select code, 'unknown treatment ' || treatment from nodes where treatment not in ('none', 'winsorise', 'log', 'auto')
union all
select code, 'unknown imputation ' || imputation from nodes
where not (
    imputation = 'none'
    or regexp_full_match(imputation, 'carry_forward:[0-9]+')
    or imputation in ('peer_median:oic_group', 'peer_median:income_group')
)
union all
select code, 'normalisation target needs a target' from nodes where is_leaf and normalisation = 'target' and target is null
union all
select code, 'goalposts need lower < upper' from nodes
where is_leaf and normalisation = 'goalposts' and (lower_bound is null or upper_bound is null or lower_bound >= upper_bound)
union all
select code, 'min_coverage must be within 0-1' from nodes where min_coverage < 0 or min_coverage > 1

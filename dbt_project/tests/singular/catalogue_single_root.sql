-- The catalogue tree has exactly one root (a node without parent).
select count(*) as n_roots
from {{ ref('int_catalogue_nodes_resolved') }}
where parent is null
having count(*) <> 1

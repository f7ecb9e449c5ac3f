-- Every catalogue node hangs from the root: an orphan (unknown parent) or a node in a cycle is
-- never reached by the walk from the root and keeps level NULL.
select
    code,
    parent,
    case
        when parent not in (select nodes.code from {{ ref('int_catalogue_nodes_resolved') }} as nodes)
            then 'orphan: parent not in catalogue'
        else 'unreachable from the root (cycle)'
    end as problem
from {{ ref('int_catalogue_nodes_resolved') }}
where level is null

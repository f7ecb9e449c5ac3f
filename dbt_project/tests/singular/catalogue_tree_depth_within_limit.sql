-- Aggregation unrolls the tree to `max_tree_depth` levels (int_node_scores_aggregated): a deeper
-- catalogue must fail loudly rather than lose its deepest nodes.
select code, level
from {{ ref('int_catalogue_nodes_resolved') }}
where level > {{ var('max_tree_depth', 10) }}

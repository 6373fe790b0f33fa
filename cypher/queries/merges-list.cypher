MATCH (m:Merge)
// A scope sees the merges of entities it sees.
WHERE $ops IS NULL OR EXISTS { MATCH (e:Entity {id: m.keptId}) WHERE any(o IN e.ops WHERE o IN $ops) }
WITH m
ORDER BY m.n DESC
SKIP $offset
LIMIT $limit
RETURN m {.id, .keptId, .mergedId, .actor, .at, .undone} AS m

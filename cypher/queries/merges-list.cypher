// A page of merges, newest first, keyset style down merge_n from $after (exclusive; above every number for
// the start).
MATCH (m:Merge)
// A scope sees the merges of entities it sees.
WHERE m.n < $after
  AND ($ops IS NULL OR EXISTS { MATCH (e:Entity {id: m.keptId}) WHERE any(o IN e.ops WHERE o IN $ops) })
WITH m
ORDER BY m.n DESC
SKIP $offset
LIMIT $limit
RETURN m {.id, .keptId, .mergedId, .actor, .at, .undone} AS m, m.n AS k

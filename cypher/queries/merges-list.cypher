MATCH (m:Merge)
WITH m
ORDER BY m.n DESC
SKIP $offset
LIMIT $limit
RETURN m {.id, .keptId, .mergedId, .actor, .at, .undone} AS m

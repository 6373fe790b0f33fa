MATCH (m:Merge)
// A scope sees the merges of entities it sees.
WHERE $ops IS NULL OR EXISTS { MATCH (e:Entity {id: m.keptId}) WHERE any(o IN e.ops WHERE o IN $ops) }
RETURN count(m) AS c

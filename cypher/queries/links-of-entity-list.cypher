MATCH (e:Entity {id: $entity})-[l]-(o:Entity)
WHERE ($type IS NULL OR type(l) = $type) AND ($ops IS NULL OR (any(x IN l.ops WHERE x IN $ops)
  AND any(x IN e.ops WHERE x IN $ops) AND any(x IN o.ops WHERE x IN $ops)))
WITH DISTINCT l
WITH l, startNode(l) AS a, endNode(l) AS b
ORDER BY l.n
SKIP $offset
LIMIT $limit
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

MATCH (:Entity {id: $entity})-[l]-(:Entity)
WHERE $type IS NULL OR type(l) = $type
WITH DISTINCT l
WITH l, startNode(l) AS a, endNode(l) AS b
ORDER BY l.n
SKIP $offset
LIMIT $limit
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

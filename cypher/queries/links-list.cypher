MATCH (a:Entity)-[l]->(b:Entity)
WHERE $type IS NULL OR type(l) = $type
WITH a, l, b
ORDER BY l.n
SKIP $offset
LIMIT $limit
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

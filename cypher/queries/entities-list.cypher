MATCH (e:Entity)
WHERE $type IS NULL OR e.type = $type
WITH e
ORDER BY e.n
SKIP $offset
LIMIT $limit
RETURN e {.*} AS e

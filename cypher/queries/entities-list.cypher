MATCH (e:Entity)
WHERE ($type IS NULL OR e.type = $type) AND ($importId IS NULL OR $importId IN e.imports)
WITH e
ORDER BY e.n
SKIP $offset
LIMIT $limit
RETURN e {.*} AS e

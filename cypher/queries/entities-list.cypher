MATCH (e:Entity)
WHERE ($type IS NULL OR e.type = $type) AND ($importId IS NULL OR $importId IN e.imports)
  AND ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
WITH e
ORDER BY e.n
SKIP $offset
LIMIT $limit
RETURN e {.*} AS e

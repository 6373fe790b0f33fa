MATCH (e:Entity)
WHERE ($types IS NULL OR e.type IN $types) AND ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
WITH e
ORDER BY e.n
RETURN e {.*} AS e

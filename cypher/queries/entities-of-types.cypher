MATCH (e:Entity)
WHERE $types IS NULL OR e.type IN $types
WITH e
ORDER BY e.n
RETURN e {.*} AS e

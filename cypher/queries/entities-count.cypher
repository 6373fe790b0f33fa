MATCH (e:Entity)
WHERE $type IS NULL OR e.type = $type
RETURN count(e) AS c

MATCH (e:Entity)
WHERE ($type IS NULL OR e.type = $type) AND ($importId IS NULL OR $importId IN e.imports)
RETURN count(e) AS c

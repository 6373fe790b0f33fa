MATCH (e:Entity {id: $entity})-[l]-(o:Entity)
WHERE ($type IS NULL OR type(l) = $type) AND ($ops IS NULL OR (any(x IN l.ops WHERE x IN $ops)
  AND any(x IN e.ops WHERE x IN $ops) AND any(x IN o.ops WHERE x IN $ops)))
RETURN count(DISTINCT l) AS c

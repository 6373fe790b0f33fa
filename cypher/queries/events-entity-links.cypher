// The CALLED and SIGHTED_AT links of the listed entities, with their ends.
MATCH (e:Entity)
WHERE e.id IN $ids
  AND ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
MATCH (e)-[l:CALLED|SIGHTED_AT]-(y:Entity)
WHERE ($ops IS NULL OR any(o IN l.ops WHERE o IN $ops)) AND ($ops IS NULL OR any(o IN y.ops WHERE o IN $ops))
RETURN DISTINCT l.id AS link, startNode(l).id AS from, endNode(l).id AS to

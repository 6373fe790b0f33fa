// The CALLED and SIGHTED_AT links of the listed entities, with their ends.
MATCH (e:Entity)
WHERE e.id IN $ids
MATCH (e)-[l:CALLED|SIGHTED_AT]-(:Entity)
RETURN DISTINCT l.id AS link, startNode(l).id AS from, endNode(l).id AS to

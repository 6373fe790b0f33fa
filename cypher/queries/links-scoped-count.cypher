// How many links a scope sees (of one type, or all): the count store cannot tell, so they are counted.
MATCH (a:Entity)-[l]->(b:Entity)
WHERE ($type IS NULL OR type(l) = $type) AND any(x IN l.ops WHERE x IN $ops) AND any(x IN a.ops WHERE x IN $ops)
  AND any(x IN b.ops WHERE x IN $ops)
RETURN count(l) AS c

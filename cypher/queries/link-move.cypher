// A relationship cannot change its ends: recreated between the new ends with the same fields.
MATCH (:Entity {id: $from})-[l]->(:Entity {id: $to})
WHERE l.id = $id
WITH l, properties(l) AS p, type(l) AS t
DELETE l
WITH p, t
MATCH (x:Entity {id: $newFrom})
MATCH (y:Entity {id: $newTo})
CREATE (x)-[m:$(t)]->(y)
SET m = p, m.updatedAt = $now

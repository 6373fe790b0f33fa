// Link ends a write touches join its operation (a link is visible only with both ends): returns those that
// were not members yet.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
USING INDEX e:Entity(id)
WITH e
WHERE NOT $op IN coalesce(e.ops, [])
SET e.ops = coalesce(e.ops, []) + $op, e.updatedAt = $now
RETURN e.id AS id

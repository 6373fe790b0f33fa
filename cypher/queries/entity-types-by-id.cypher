// Index hints keep the plan an index seek even when it was first planned on an empty database.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
USING INDEX e:Entity(id)
WHERE ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
RETURN e.id AS id, e.type AS type

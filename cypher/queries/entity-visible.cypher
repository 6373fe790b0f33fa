// An entity by id if the scope sees it (null: any).
MATCH (e:Entity {id: $id})
WHERE $ops IS NULL OR any(o IN e.ops WHERE o IN $ops)
RETURN e.id AS id

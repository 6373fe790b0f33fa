// Index hints keep the plan an index seek even when it was first planned on an empty database.
// Entities by natural key, or by a key merged into them (Alias).
UNWIND $keys AS k
OPTIONAL MATCH (e:Entity {type: k.type, key: k.key})
USING INDEX e:Entity(type, key)
OPTIONAL MATCH (al:Alias {type: k.type, key: k.key})
USING INDEX al:Alias(type, key)
OPTIONAL MATCH (ae:Entity {id: al.entityId})
USING INDEX ae:Entity(id)
WITH k, coalesce(e, ae) AS x
WHERE x IS NOT NULL AND ($ops IS NULL OR any(o IN x.ops WHERE o IN $ops))
RETURN k.type AS type, k.key AS key, x {.*} AS e

// Index hints keep the plan an index seek even when it was first planned on an empty database.
// A write batch's natural keys to the entities they name (by their own key, or by a key merged into them: Alias):
// only the id and type, as the batch then locks and reads whole only those it writes (an entity's lists of
// reports can be long: reading each one twice was most of the lookups' database hits at 100k links).
UNWIND $keys AS k
OPTIONAL MATCH (e:Entity {type: k.type, key: k.key})
USING INDEX e:Entity(type, key)
OPTIONAL MATCH (al:Alias {type: k.type, key: k.key})
USING INDEX al:Alias(type, key)
OPTIONAL MATCH (ae:Entity {id: al.entityId})
USING INDEX ae:Entity(id)
WITH k, coalesce(e, ae) AS x
WHERE x IS NOT NULL
RETURN k.type AS type, k.key AS key, x.id AS id, x.type AS etype

// Entities by natural key, or by a key merged into them (Alias).
UNWIND $keys AS k
OPTIONAL MATCH (e:Entity {type: k.type, key: k.key})
OPTIONAL MATCH (al:Alias {type: k.type, key: k.key})
OPTIONAL MATCH (ae:Entity {id: al.entityId})
WITH k, coalesce(e, ae) AS x
WHERE x IS NOT NULL
RETURN k.type AS type, k.key AS key, x {.*} AS e

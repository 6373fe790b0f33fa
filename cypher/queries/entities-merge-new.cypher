// A write batch's new entities, each created once and whole ($rows: [{type, key, e}], e the rest of the stored
// form but for the fields they all share, in $common), on the (type, key) constraint, in the key order the
// caller sorts them in: two writers creating one entity queue on the constraint. The first creates it; the second finds it once the first has committed, locks it
// (the _lock write) and gets it back, as stored, to merge into as an entity met again. Only those come back.
// The second label is the entity type, checked against ENTITY_TYPES before the call.
UNWIND $rows AS row
MERGE (e:Entity {type: row.type, key: row.key})
ON CREATE SET e += row.e, e += $common, e:$(row.type)
ON MATCH SET e._lock = true
WITH e, row
WHERE e.id <> row.e.id
REMOVE e._lock
RETURN row.type AS type, row.key AS key, e {.*} AS e

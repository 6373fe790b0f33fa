// Index hints keep the plan an index seek even when it was first planned on an empty database.
// New entities of a write batch, created on their natural key: MERGE takes the (type, key) constraint's lock,
// so two writers creating the same entity queue there and the second finds the first's. Returns the keys
// another writer created first (their stored id is not the one offered): the batch is then run again.
// The second label is the entity type, checked against ENTITY_TYPES before the call.
UNWIND $rows AS row
MERGE (e:Entity {type: row.type, key: row.key})
ON CREATE SET e = row, e:$(row.type)
WITH e, row
WHERE e.id <> row.id
RETURN row.type AS type, row.key AS key

// Index hints keep the plan an index seek even when it was first planned on an empty database.
// The natural keys a write batch found no entity for, claimed in a fixed order: MERGE takes the (type, key)
// constraint's lock, so two writers creating one entity queue there; the first creates it (with the id it
// offers; the batch fills in the rest before it commits), the second then finds it, locked for it in turn and
// as the first committed it. `created` says which. The second label is the entity type, checked against
// ENTITY_TYPES before the call.
UNWIND $rows AS row
MERGE (e:Entity {type: row.type, key: row.key})
ON CREATE SET e.id = row.id, e.n = row.n, e:$(row.type)
SET e._lock = true
REMOVE e._lock
RETURN row.type AS type, row.key AS key, e.id = row.id AS created, e {.*} AS e

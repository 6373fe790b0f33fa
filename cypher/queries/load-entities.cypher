// Rows copied by npm run transfer, ids as they were. MERGE on the kind's key, so a batch written again (a resumed
// transfer, a target that already holds some of the rows) changes nothing.
// The second label is the entity type, checked against ENTITY_TYPES before the call.
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
SET e = row
SET e:$(row.type)

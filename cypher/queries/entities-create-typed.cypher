// New entities of one type: __ENTITY_TYPE__ is replaced by a type from ENTITY_TYPES (queries.ts cypherTyped)
// before the call; a written-in label is faster than entities-create's dynamic $(row.type) for bulk imports.
UNWIND $rows AS row
CREATE (e:Entity:__ENTITY_TYPE__)
SET e = row

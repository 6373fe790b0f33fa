// The second label is the entity type, checked against ENTITY_TYPES before the call.
UNWIND $rows AS row
CREATE (e:Entity:$(row.type))
SET e = row

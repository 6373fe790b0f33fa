// Rows copied by npm run transfer, ids as they were, each joined to its target as target-action-create does.
UNWIND $rows AS row
MATCH (t:Target {id: row.targetId})
CREATE (t)-[:HAS_ACTION]->(x:TargetAction)
SET x = row

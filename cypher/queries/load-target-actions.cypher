// Rows copied by npm run transfer, ids as they were. MERGE on the kind's key, so a batch written again (a resumed
// transfer, a target that already holds some of the rows) changes nothing.
// Each joined to its target as target-action-create does.
UNWIND $rows AS row
MATCH (t:Target {id: row.targetId})
MERGE (t)-[:HAS_ACTION]->(x:TargetAction {id: row.id})
SET x = row

// Rows copied by npm run transfer, ids as they were. MERGE on the kind's key, so a batch written again (a resumed
// transfer, a target that already holds some of the rows) changes nothing.
UNWIND $rows AS row
MERGE (x:LinkEvent {key: row.key})
SET x = row

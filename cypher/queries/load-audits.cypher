// Rows copied by npm run transfer, ids as they were. MERGE on the kind's key, so a batch written again (a resumed
// transfer, a target that already holds some of the rows) changes nothing.
UNWIND $rows AS row
MERGE (x:Audit {seq: row.seq})
SET x = row
FOREACH (o IN coalesce(row.objectIds, []) | MERGE (:AuditObject {o: o, seq: row.seq}))

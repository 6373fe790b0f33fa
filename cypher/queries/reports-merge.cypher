// Index hints keep the plan an index seek even when it was first planned on an empty database.
// New reports of a write batch, created on their ref (the report_ref constraint): returns the refs another
// writer created first, and the batch is run again (it then finds them, and checks they are the same).
UNWIND $rows AS row
MERGE (r:Report {ref: row.ref})
ON CREATE SET r = row
WITH r, row
WHERE r.id <> row.id
RETURN row.ref AS ref

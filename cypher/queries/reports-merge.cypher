// Index hints keep the plan an index seek even when it was first planned on an empty database.
// New reports of a write batch, created on their ref (the report_ref constraint: two writers creating one
// report queue there). Returns the reports another writer created first, as stored: the batch checks they
// are the same report and cites them.
UNWIND $rows AS row
MERGE (r:Report {ref: row.ref})
ON CREATE SET r = row
WITH r, row
WHERE r.id <> row.id
RETURN r {.*} AS r

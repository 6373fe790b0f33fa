// Rows copied by npm run transfer, ids as they were. MERGE: a new store already holds its own GENERAL (op1),
// which the source's replaces.
UNWIND $rows AS row
MERGE (x:Operation {id: row.id})
SET x = row

// Writes a user's draft (one per owner and operation) as it is; the caller holds the Meta lock.
MERGE (d:Draft {id: $row.id})
SET d = $row

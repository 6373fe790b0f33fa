// Writes a user's draft (one per owner) as it is; the caller holds the Meta lock.
MERGE (d:Draft {owner: $row.owner})
SET d = $row

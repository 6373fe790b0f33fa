MATCH (t:Target {id: $id})
SET t += $row, t.version = t.version + 1
REMOVE t.lockedAt
RETURN t.version AS version

// Append an action (the log is append-only: no query updates or deletes one) and mark the target actioned.
MATCH (t:Target {id: $row.targetId})
CREATE (t)-[:HAS_ACTION]->(a:TargetAction)
SET a = $row
SET t.status = 'actioned', t.version = t.version + 1, t.updatedAt = $row.recordedAt
REMOVE t.lockedAt
RETURN a.id AS id

// Read a target's version and status under a write lock, so a concurrent decision waits and then sees the new version.
MATCH (t:Target {id: $id})
SET t.lockedAt = $now
RETURN t.version AS version, t.status AS status, t.op AS op

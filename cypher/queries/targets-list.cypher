// Newest first, optionally by status and entity, keyset style down target_n from $after (exclusive; above
// every number for the start); $ops (null: all) keeps the targets of those operations (a target from before
// operations has no op: GENERAL's, op1).
MATCH (t:Target)
WHERE t.n < $after AND ($status IS NULL OR t.status = $status) AND ($entityId IS NULL OR t.entityId = $entityId)
  AND ($ops IS NULL OR coalesce(t.op, 'op1') IN $ops)
WITH t
ORDER BY t.n DESC
SKIP $offset
LIMIT $limit
RETURN t {.*} AS t, t.n AS k

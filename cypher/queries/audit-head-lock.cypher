// The head of the audit chain (last seq and hash) on its own lock node, (:Meta {k: 'audit'}): only the audit's
// group transactions take it, so graph writes and reads never wait on the audit. Created from the counters of
// the Meta state node (where the head was kept before, and where npm run transfer writes it after a load); if
// that names a later record than the head node (a load since), it wins.
MATCH (s:Meta {k: 'state'})
MERGE (h:Meta {k: 'audit'})
ON CREATE SET h.seq = coalesce(s.audit, 0), h.hash = coalesce(s.auditHash, $genesis)
SET h.lockedAt = timestamp()
WITH h, s, coalesce(s.audit, 0) > h.seq AS loaded
RETURN CASE WHEN loaded THEN s.audit ELSE h.seq END AS seq,
  CASE WHEN loaded THEN coalesce(s.auditHash, $genesis) ELSE h.hash END AS hash

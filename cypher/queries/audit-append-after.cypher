// A group of audit records appended in one round trip, as a transaction of its own, when this server knows the
// chain's head ($prevSeq, $prevHash: the last record it wrote) and the records were chained onto it. The head's
// lock node is locked first (as audit-head-lock.cypher does); if another server has appended since, or a load
// has moved the chain (the Meta state node names a later record), nothing is written and ok is false: the
// caller then chains the records again on the head it reads under the lock (audit-head-lock, audit-append).
MATCH (h:Meta {k: 'audit'})
SET h.lockedAt = timestamp()
WITH h
OPTIONAL MATCH (s:Meta {k: 'state'})
WITH h, h.seq = $prevSeq AND h.hash = $prevHash AND coalesce(s.audit, 0) <= h.seq AS ok
CALL {
  WITH h, ok
  WITH h WHERE ok
  SET h.seq = $seq, h.hash = $hash
  WITH h
  UNWIND $rows AS row
  CREATE (a:Audit)
  SET a = row
  FOREACH (o IN coalesce(row.objectIds, []) | CREATE (:AuditObject {o: o, seq: row.seq}))
}
RETURN ok

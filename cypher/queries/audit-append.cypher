// Append-only by convention: no query in cypher/ updates or deletes an Audit node.
// $rows arrive chained and in seq order (one transaction per group of records), and the chain's new head
// ($seq, $hash) is saved on its lock node (taken by audit-head-lock in the same transaction) in the same round
// trip.
MATCH (h:Meta {k: 'audit'})
SET h.seq = $seq, h.hash = $hash
WITH h
UNWIND $rows AS row
CREATE (a:Audit)
SET a = row
FOREACH (o IN coalesce(row.objectIds, []) | CREATE (:AuditObject {o: o, seq: row.seq}))

// The (:AuditObject) index entries of audit records written without them (before the index, or by the offline
// importer), idempotent; a slice at a time in transactions of their own (a long audit is not one transaction).
MATCH (a:Audit)
CALL {
  WITH a
  UNWIND coalesce(a.objectIds, []) AS o
  MERGE (:AuditObject {o: o, seq: a.seq})
} IN TRANSACTIONS OF 5000 ROWS

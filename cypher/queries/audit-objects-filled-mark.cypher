// Every audit record now has its (:AuditObject) entries: later start-ups skip the fill's scan of the audit.
MATCH (m:Meta {k: 'state'})
SET m.auditObjects = true

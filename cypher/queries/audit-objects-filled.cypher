// Whether every audit record's (:AuditObject) entries exist (set by audit-objects-filled-mark).
MATCH (m:Meta {k: 'state'})
RETURN coalesce(m.auditObjects, false) AS done

// A page of the audit records naming one object, oldest first from its key ($after < seq < $before), read along
// the audit_object index: only those records are read, however long the audit (filters on the rest are checked
// on them as they come). audit-list-object-desc reads the same newest first.
MATCH (x:AuditObject {o: $objectId})
USING INDEX x:AuditObject(o, seq)
WHERE x.seq > $after AND x.seq < $before
WITH x.seq AS seq
ORDER BY seq
MATCH (a:Audit {seq: seq})
WHERE ($actor IS NULL OR a.actor = $actor) AND ($action IS NULL OR a.action = $action)
  AND ($since IS NULL OR a.at >= $since) AND ($until IS NULL OR a.at <= $until)
  AND ($ops IS NULL OR a.operations IS NULL OR size(a.operations) = 0
    OR (any(op IN a.operations WHERE op IN $ops) AND all(op IN a.operations WHERE op IN $within)))
WITH a
ORDER BY a.seq
SKIP $offset
LIMIT $limit
RETURN a {.*} AS a

// How many audit records naming one object match a filter, counted along the audit_object index.
MATCH (x:AuditObject {o: $objectId})
USING INDEX x:AuditObject(o, seq)
WHERE x.seq >= 0
MATCH (a:Audit {seq: x.seq})
WHERE ($actor IS NULL OR a.actor = $actor) AND ($action IS NULL OR a.action = $action)
  AND ($since IS NULL OR a.at >= $since) AND ($until IS NULL OR a.at <= $until)
  AND ($ops IS NULL OR a.operations IS NULL OR size(a.operations) = 0
    OR (any(op IN a.operations WHERE op IN $ops) AND all(op IN a.operations WHERE op IN $within)))
RETURN count(a) AS c

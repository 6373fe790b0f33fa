// How many audit records of one actor match a filter, counted along the audit_actor index.
MATCH (a:Audit)
USING INDEX a:Audit(actor)
WHERE a.actor = $actor AND ($action IS NULL OR a.action = $action)
  AND ($since IS NULL OR a.at >= $since) AND ($until IS NULL OR a.at <= $until)
  AND ($objectId IS NULL OR $objectId IN a.objectIds)
  AND ($ops IS NULL OR a.operations IS NULL OR size(a.operations) = 0
    OR (any(op IN a.operations WHERE op IN $ops) AND all(op IN a.operations WHERE op IN $within)))
RETURN count(a) AS c

// How many audit records of a time span match a filter (no actor or action given), counted along the audit_at
// index: only the span's records are read.
MATCH (a:Audit)
WHERE a.at >= coalesce($since, '') AND a.at <= coalesce($until, '9999')
  AND ($objectId IS NULL OR $objectId IN a.objectIds)
  AND ($ops IS NULL OR a.operations IS NULL OR size(a.operations) = 0
    OR (any(op IN a.operations WHERE op IN $ops) AND all(op IN a.operations WHERE op IN $within)))
RETURN count(a) AS c

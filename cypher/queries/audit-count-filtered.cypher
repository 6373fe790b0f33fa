// How many audit records name an object or fall in a supervisor's operations, with no actor, action or time
// span to narrow them by: no index holds list members, so every record is read.
MATCH (a:Audit)
WHERE true
  AND ($objectId IS NULL OR $objectId IN a.objectIds)
  AND ($ops IS NULL OR a.operations IS NULL OR size(a.operations) = 0
    OR (any(op IN a.operations WHERE op IN $ops) AND all(op IN a.operations WHERE op IN $within)))
RETURN count(a) AS c

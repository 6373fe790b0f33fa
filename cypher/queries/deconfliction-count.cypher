MATCH (d:DeconflictionNotice)
WHERE ($ops IS NULL OR d.newOpId IN $ops OR d.heldOpId IN $ops)
  AND ($state IS NULL OR d.state = $state)
  AND ($entityId IS NULL OR d.entityId = $entityId)
RETURN count(d) AS c

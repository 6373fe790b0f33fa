// Notices, oldest first; each filter applies when given ($ops: either side is one of them).
MATCH (d:DeconflictionNotice)
WHERE ($ops IS NULL OR d.newOpId IN $ops OR d.heldOpId IN $ops)
  AND ($state IS NULL OR d.state = $state)
  AND ($entityId IS NULL OR d.entityId = $entityId)
RETURN d {.*} AS d
ORDER BY d.n
SKIP $offset LIMIT $limit

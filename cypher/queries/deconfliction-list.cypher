// Notices, oldest first, keyset style along deconfliction_notice_n from $after (exclusive; 0 for the start);
// each filter applies when given ($ops: either side is one of them).
MATCH (d:DeconflictionNotice)
WHERE d.n > $after AND ($ops IS NULL OR d.newOpId IN $ops OR d.heldOpId IN $ops)
  AND ($state IS NULL OR d.state = $state)
  AND ($entityId IS NULL OR d.entityId = $entityId)
RETURN d {.*} AS d, d.n AS k
ORDER BY d.n
SKIP $offset LIMIT $limit

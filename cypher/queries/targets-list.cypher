// Newest first, optionally by status and entity.
MATCH (t:Target)
WHERE ($status IS NULL OR t.status = $status) AND ($entityId IS NULL OR t.entityId = $entityId)
WITH t
ORDER BY t.n DESC
SKIP $offset
LIMIT $limit
RETURN t {.*} AS t

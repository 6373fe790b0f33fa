MATCH (t:Target)
WHERE ($status IS NULL OR t.status = $status) AND ($entityId IS NULL OR t.entityId = $entityId)
RETURN count(t) AS c

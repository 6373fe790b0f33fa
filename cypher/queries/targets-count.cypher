MATCH (t:Target)
WHERE ($status IS NULL OR t.status = $status) AND ($entityId IS NULL OR t.entityId = $entityId)
  AND ($ops IS NULL OR coalesce(t.op, 'op1') IN $ops)
RETURN count(t) AS c

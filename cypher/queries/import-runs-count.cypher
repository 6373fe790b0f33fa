MATCH (r:ImportRun)
WHERE ($importId IS NULL OR r.importId = $importId)
  AND ($ops IS NULL OR coalesce(r.op, 'op1') IN $ops)
RETURN count(r) AS c

MATCH (a:Annotation)
WHERE ($kind IS NULL OR (a.targetKind = $kind AND a.targetId = $target))
  AND ($ops IS NULL OR coalesce(a.op, 'op1') IN $ops)
RETURN count(a) AS c

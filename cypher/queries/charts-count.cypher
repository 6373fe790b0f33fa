MATCH (c:Chart)
WHERE $ops IS NULL OR coalesce(c.op, 'op1') IN $ops
RETURN count(c) AS c

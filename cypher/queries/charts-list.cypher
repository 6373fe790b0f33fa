MATCH (c:Chart)
WHERE $ops IS NULL OR coalesce(c.op, 'op1') IN $ops
WITH c
ORDER BY c.n
SKIP $offset
LIMIT $limit
RETURN c {.*} AS c

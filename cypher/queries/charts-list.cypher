// A page of charts in id order, keyset style along chart_n from $after (see entities-list).
MATCH (c:Chart)
WHERE c.n > $after AND ($ops IS NULL OR coalesce(c.op, 'op1') IN $ops)
WITH c
ORDER BY c.n
SKIP $offset
LIMIT $limit
RETURN c {.*} AS c, c.n AS k

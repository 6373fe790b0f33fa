MATCH (c:Chart)
WITH c
ORDER BY c.n
SKIP $offset
LIMIT $limit
RETURN c {.*} AS c

// Everything of one kind, for npm run transfer.
MATCH (c:Chart)
WITH c
ORDER BY c.n
RETURN c {.*} AS x

// Everything of one kind, for npm run transfer.
MATCH (e:Entity)
WITH e
ORDER BY e.n
RETURN e {.*} AS x

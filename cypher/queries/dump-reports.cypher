// Everything of one kind, for npm run transfer.
MATCH (r:Report)
WITH r
ORDER BY r.n
RETURN r {.*} AS x

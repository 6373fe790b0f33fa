// Everything of one kind, for npm run transfer.
MATCH (m:Merge)
WITH m
ORDER BY m.n
RETURN m {.*} AS x

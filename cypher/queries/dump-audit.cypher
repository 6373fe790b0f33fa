// Everything of one kind, for npm run transfer.
MATCH (a:Audit)
WITH a
ORDER BY a.seq
RETURN a {.*} AS x

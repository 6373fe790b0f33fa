// Everything of one kind, for npm run transfer.
MATCH (o:Operation)
WITH o
ORDER BY o.n
RETURN o {.*} AS x

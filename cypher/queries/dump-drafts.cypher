// Everything of one kind, for npm run transfer.
MATCH (d:Draft)
WITH d
ORDER BY d.id
RETURN d {.*} AS x

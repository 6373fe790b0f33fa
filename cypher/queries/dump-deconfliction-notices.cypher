// Everything of one kind, for npm run transfer.
MATCH (d:DeconflictionNotice)
WITH d
ORDER BY d.n
RETURN d {.*} AS x

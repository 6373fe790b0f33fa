// Everything of one kind, for npm run transfer.
MATCH (v:LinkEvent)
WITH v
ORDER BY v.n
RETURN v {.*} AS x

// Everything of one kind, for npm run transfer.
MATCH (r:ImportRun)
WITH r
ORDER BY r.seq
RETURN r {.*} AS x

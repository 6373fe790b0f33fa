// Everything of one kind, for npm run transfer.
MATCH (a:TargetAction)
WITH a
ORDER BY a.n
RETURN a {.*} AS x

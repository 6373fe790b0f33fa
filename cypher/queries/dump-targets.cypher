// Everything of one kind, for npm run transfer.
MATCH (t:Target)
WITH t
ORDER BY t.n
RETURN t {.*} AS x

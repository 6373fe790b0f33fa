// Everything of one kind, for npm run transfer.
MATCH (u:User)
WITH u
ORDER BY u.n
RETURN u {.*} AS x

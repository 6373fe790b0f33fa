MATCH (u:User)
WITH u
ORDER BY u.n
SKIP $offset
LIMIT $limit
RETURN u {.*} AS u

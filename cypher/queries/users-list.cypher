// A page of users in id order, keyset style along user_n from $after (see entities-list).
MATCH (u:User)
WHERE u.n > $after
WITH u
ORDER BY u.n
SKIP $offset
LIMIT $limit
RETURN u {.*} AS u, u.n AS k

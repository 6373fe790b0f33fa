// A page of one kind for npm run transfer, keyset style: the next $take after $after, in the order of an index
// (schema.cypher), so each page reads about $take index entries and the server never sorts the whole kind.
MATCH (r:Report)
USING INDEX r:Report(n)
WHERE r.n > $after
WITH r
ORDER BY r.n
LIMIT $take
RETURN r {.*} AS x

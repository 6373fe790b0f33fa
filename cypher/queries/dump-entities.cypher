// A page of one kind for npm run transfer, keyset style: the next $take after $after, in the order of an index
// (schema.cypher), so each page reads about $take index entries and the server never sorts the whole kind.
MATCH (e:Entity)
USING INDEX e:Entity(n)
WHERE e.n > $after
WITH e
ORDER BY e.n
LIMIT $take
RETURN e {.*} AS x

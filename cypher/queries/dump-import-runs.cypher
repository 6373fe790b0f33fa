// A page of one kind for npm run transfer, keyset style: the next $take after $after, in the order of an index
// (schema.cypher), so each page reads about $take index entries and the server never sorts the whole kind.
MATCH (r:ImportRun)
USING INDEX r:ImportRun(seq)
WHERE r.seq > $after
WITH r
ORDER BY r.seq
LIMIT $take
RETURN r {.*} AS x

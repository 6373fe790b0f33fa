// A page of one kind for npm run transfer, keyset style: the next $take after $after, in the order of an index
// (schema.cypher), so each page reads about $take index entries and the server never sorts the whole kind.
MATCH (a:Audit)
USING INDEX a:Audit(seq)
WHERE a.seq > $after
WITH a
ORDER BY a.seq
LIMIT $take
RETURN a {.*} AS x

// A page of one kind for npm run transfer, keyset style: the next $take after $after, in the order of an index
// (schema.cypher), so each page reads about $take index entries and the server never sorts the whole kind.
MATCH (v:LinkEvent)
USING INDEX v:LinkEvent(key)
WHERE v.key > $after
WITH v
ORDER BY v.key
LIMIT $take
RETURN v {.*} AS x

// A page of FREQUENTS links for npm run transfer, keyset style: the next $take after $after in the order of the type's
// index on n (schema.cypher), read from the index without a sort. One file per link type: a relationship type
// given as a parameter cannot use an index, and one query with a branch per type takes seconds to plan.
MATCH (a:Entity)-[l:FREQUENTS]->(b:Entity)
WHERE l.n > $after
WITH a, l, b
ORDER BY l.n
LIMIT $take
RETURN l {.*, type: 'FREQUENTS', from: a.id, to: b.id} AS x

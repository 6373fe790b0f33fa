// Everything of one kind, for npm run transfer.
MATCH (a:Entity)-[l]->(b:Entity)
WITH a, l, b
ORDER BY l.n
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS x

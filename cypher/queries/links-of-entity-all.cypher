MATCH (:Entity {id: $id})-[l]-(:Entity)
WITH DISTINCT l
WITH l, startNode(l) AS a, endNode(l) AS b
ORDER BY l.n
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

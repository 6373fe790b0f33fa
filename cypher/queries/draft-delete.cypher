OPTIONAL MATCH (d:Draft {id: $id})
WITH collect(d) AS xs
FOREACH (x IN xs | DELETE x)
RETURN size(xs) AS c

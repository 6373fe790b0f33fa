OPTIONAL MATCH (c:Chart {id: $id})
WITH collect(c) AS xs
FOREACH (x IN xs | DELETE x)
RETURN size(xs) AS c

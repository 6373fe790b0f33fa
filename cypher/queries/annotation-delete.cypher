OPTIONAL MATCH (a:Annotation {id: $id})
WITH collect(a) AS xs
FOREACH (x IN xs | DELETE x)
RETURN size(xs) AS c

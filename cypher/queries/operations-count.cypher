MATCH (o:Operation)
WHERE $ids IS NULL OR o.id IN $ids
RETURN count(o) AS c

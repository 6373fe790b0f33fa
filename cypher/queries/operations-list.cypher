// Operations in reference order; $ids (or null for all) keeps only those.
MATCH (o:Operation)
WHERE $ids IS NULL OR o.id IN $ids
WITH o
ORDER BY o.ref
SKIP $offset
LIMIT $limit
RETURN o {.*} AS o

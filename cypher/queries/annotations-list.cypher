MATCH (a:Annotation)
WHERE $kind IS NULL OR (a.targetKind = $kind AND a.targetId = $target)
WITH a
ORDER BY a.n
SKIP $offset
LIMIT $limit
RETURN a {.*} AS a

MATCH (a:Annotation)
WHERE $kind IS NULL OR (a.targetKind = $kind AND a.targetId = $target)
RETURN count(a) AS c

MATCH (a:Annotation {targetKind: $kind, targetId: $id})
RETURN a.id AS id
ORDER BY a.n

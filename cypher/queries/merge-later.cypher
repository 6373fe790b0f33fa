// A later merge, not undone, that changed entity $id.
MATCH (x:Merge)
WHERE x.n > $n AND x.undone = false AND (x.keptId = $id OR x.mergedId = $id)
RETURN x.id AS id
ORDER BY x.n DESC
LIMIT 1

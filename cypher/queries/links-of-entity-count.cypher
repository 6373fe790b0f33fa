MATCH (:Entity {id: $entity})-[l]-(:Entity)
WHERE $type IS NULL OR type(l) = $type
RETURN count(DISTINCT l) AS c

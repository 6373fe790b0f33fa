MATCH (:Entity)-[l]->(:Entity)
WHERE $type IS NULL OR type(l) = $type
RETURN count(l) AS c

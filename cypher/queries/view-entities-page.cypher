// One page of an analysis view's entities in number order after $after: every entity of the types the scope
// sees, with only what a view needs of each (number, id, type, label), read by a seek on Entity(n).
MATCH (e:Entity)
USING INDEX e:Entity(n)
WHERE e.n > $after
  AND ($types IS NULL OR e.type IN $types) AND ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
WITH e
ORDER BY e.n
LIMIT $batch
RETURN e.n AS n, e.id AS id, e.type AS type, e.label AS label

// Entities of an analysis view by number (the ends of its links, a bounded batch), as far as the scope sees
// them, with only what a view needs of each.
UNWIND $ns AS k
MATCH (e:Entity {n: k})
USING INDEX e:Entity(n)
WHERE ($types IS NULL OR e.type IN $types) AND ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
RETURN e.n AS n, e.id AS id, e.type AS type, e.label AS label
ORDER BY n

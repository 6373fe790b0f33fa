// Each frontier entity's links that pass a view filter, with the entity at the other end.
UNWIND $ids AS uid
MATCH (u:Entity {id: uid})-[l]-(o:Entity)
WHERE ($linkTypes IS NULL OR type(l) IN $linkTypes)
  AND (NOT $windowed OR (l.firstMs IS NULL AND l.lastMs IS NULL)
    OR (($toMs IS NULL OR l.firstMs IS NULL OR l.firstMs <= $toMs)
      AND ($fromMs IS NULL OR l.lastMs IS NULL OR l.lastMs >= $fromMs)))
  AND ($grades IS NULL OR any(g IN l.grades WHERE g IN $grades))
  AND ($types IS NULL OR o.type IN $types)
WITH uid, o, l, startNode(l) AS a, endNode(l) AS b
RETURN uid AS u, o.id AS other, l {.*, type: type(l), from: a.id, to: b.id} AS l

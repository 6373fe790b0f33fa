// The links of a view, in id order; $limit is one more than wanted, to tell truncation.
MATCH (a:Entity)-[l]->(b:Entity)
WHERE ($linkTypes IS NULL OR type(l) IN $linkTypes)
  AND (NOT $windowed OR (l.firstMs IS NULL AND l.lastMs IS NULL)
    OR (($toMs IS NULL OR l.firstMs IS NULL OR l.firstMs <= $toMs)
      AND ($fromMs IS NULL OR l.lastMs IS NULL OR l.lastMs >= $fromMs)))
  AND ($grades IS NULL OR any(g IN l.grades WHERE g IN $grades))
  AND ($types IS NULL OR (a.type IN $types AND b.type IN $types))
WITH a, l, b
ORDER BY l.n
LIMIT $limit
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

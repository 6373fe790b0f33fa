// Each frontier entity's links that pass a view filter, with the entity at the other end.
UNWIND $ids AS uid
MATCH (u:Entity {id: uid})-[l]-(o:Entity)
WHERE ($linkTypes IS NULL OR type(l) IN $linkTypes)
  AND (NOT $windowed OR (l.firstMs IS NULL AND l.lastMs IS NULL)
    OR (($toMs IS NULL OR l.firstMs IS NULL OR l.firstMs <= $toMs)
      AND ($fromMs IS NULL OR l.lastMs IS NULL OR l.lastMs >= $fromMs)))
  // A link shared with an operation outside the scope passes on the gradings of its in-scope reports alone.
  AND ($grades IS NULL OR CASE WHEN $ops IS NULL OR all(x IN l.ops WHERE x IN $ops)
    THEN any(g IN l.grades WHERE g IN $grades)
    ELSE EXISTS {
      UNWIND coalesce(l.reports, []) AS rid
      MATCH (r:Report {id: rid})
      WHERE r.op IN $ops AND r.grade IN $grades
    }
  END)
  AND ($ops IS NULL OR (any(x IN l.ops WHERE x IN $ops) AND any(x IN o.ops WHERE x IN $ops)))
  AND ($types IS NULL OR o.type IN $types)
WITH uid, o, l, startNode(l) AS a, endNode(l) AS b
RETURN uid AS u, o.id AS other, l {.*, type: type(l), from: a.id, to: b.id} AS l

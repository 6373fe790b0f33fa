// The links of a view, in id order; $limit is one more than wanted, to tell truncation.
MATCH (a:Entity)-[l]->(b:Entity)
WHERE ($linkTypes IS NULL OR type(l) IN $linkTypes)
  AND (NOT $windowed OR CASE
    // A link with its calls or reads kept is in the window when one of them is (their counts are then taken
    // from those alone); any other link when its first-to-last span overlaps the window.
    WHEN type(l) IN ['CALLED', 'SIGHTED_AT'] AND EXISTS { MATCH (v:LinkEvent {linkId: l.id}) }
    THEN EXISTS {
      MATCH (v:LinkEvent {linkId: l.id})
      WHERE ($ops IS NULL OR v.op IN $ops) AND v.at >= coalesce($fromMs, -8640000000000000) AND v.at <= coalesce($toMs, 8640000000000000)
    }
    ELSE (l.firstMs IS NULL AND l.lastMs IS NULL)
      OR (($toMs IS NULL OR l.firstMs IS NULL OR l.firstMs <= $toMs)
        AND ($fromMs IS NULL OR l.lastMs IS NULL OR l.lastMs >= $fromMs))
  END)
  // A link shared with an operation outside the scope passes on the gradings of its in-scope reports alone.
  AND ($grades IS NULL OR CASE WHEN $ops IS NULL OR all(x IN l.ops WHERE x IN $ops)
    THEN any(g IN l.grades WHERE g IN $grades)
    ELSE EXISTS {
      UNWIND coalesce(l.reports, []) AS rid
      MATCH (r:Report {id: rid})
      WHERE r.op IN $ops AND r.grade IN $grades
    }
  END)
  AND ($ops IS NULL OR (any(x IN l.ops WHERE x IN $ops) AND any(x IN a.ops WHERE x IN $ops)
    AND any(x IN b.ops WHERE x IN $ops)))
  AND ($types IS NULL OR (a.type IN $types AND b.type IN $types))
WITH a, l, b
ORDER BY l.n
LIMIT $limit
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

// Each frontier entity's links that pass a view filter, with the entity at the other end. Time window: a
// CALLED or SIGHTED_AT link with its calls or reads kept is crossed when one of them is in the window (as
// subgraph-links.cypher and the SQLite store's walks); any other link when its first-to-last span overlaps it.
// $among (or null): only links whose other end is one of these ids, for the links among a walk's outermost ring,
// so a ring entity with thousands of links hands back only the few inside the result, not every one. $ends: the
// entity at the other end comes back whole too (a walk's result holds it; one query fewer than reading it after).
UNWIND $ids AS uid
MATCH (u:Entity {id: uid})-[l]-(o:Entity)
WHERE ($among IS NULL OR o.id IN $among) AND ($linkTypes IS NULL OR type(l) IN $linkTypes)
  AND (NOT $windowed OR CASE
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
  AND ($ops IS NULL OR (any(x IN l.ops WHERE x IN $ops) AND any(x IN o.ops WHERE x IN $ops)))
  AND ($types IS NULL OR o.type IN $types)
WITH uid, o, l, startNode(l) AS a, endNode(l) AS b
// What a walk's result shows of each (rows.ts toLink, toEntity, scope-facts.ts), not the import and search lists.
RETURN uid AS u, o.id AS other,
  l {.id, .n, .directed, .weight, .firstSeen, .lastSeen, .props, .grades, .reports, .ops, .createdAt, .updatedAt,
    type: type(l), from: a.id, to: b.id} AS l,
  CASE WHEN $ends THEN o {.id, .n, .type, .key, .label, .props, .reviewDate, .createdAt, .updatedAt, .ops, .opProps}
  END AS o

// One page of an analysis view's links of one type (LINK_TYPE: written in from the domain's allow-list), in id
// order after $after: the filter of subgraph-links, read by a seek on the type's index on l.n, so a page costs
// its own rows and the view streams in bounded memory on both sides (server/store/neo4j/view-load.ts merges
// the types' pages in id order). A link shared with an operation outside the scope comes whole, to be read as
// the scope sees it.
MATCH (a:Entity)-[l:LINK_TYPE]->(b:Entity)
USING INDEX l:LINK_TYPE(n)
WHERE l.n > $after
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
LIMIT $batch
RETURN l.n AS n, a.n AS a, b.n AS b, l.directed AS directed, l.weight AS weight, l.firstSeen AS firstSeen,
  l.lastSeen AS lastSeen, l.grades AS grades,
  CASE WHEN $ops IS NULL OR all(x IN l.ops WHERE x IN $ops) THEN null
    ELSE l {.*, type: type(l), from: a.id, to: b.id} END AS partial

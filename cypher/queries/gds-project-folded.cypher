// A view with phones folded into their users as an undirected GDS graph named $name, as server/analysis/view.ts
// folds it: a phone with a USES or OWNS link in the view becomes the entity on the strongest such link (the
// first in link order on a tie), its own USES/OWNS link to that user disappears (a loop), its other links
// become the user's; links between the same two nodes are summed into one relationship. $ops (a view's
// operations, or null) keeps only the facts of those operations, as the scoped reads do.
CALL {
  MATCH (a:Entity)
  WHERE $allNodes AND ($types IS NULL OR a.type IN $types) AND ($ops IS NULL OR any(o IN a.ops WHERE o IN $ops))
    AND NOT (a.type = 'Phone' AND EXISTS {
      MATCH (p:Entity)-[u:USES|OWNS]->(a)
      WHERE ($linkTypes IS NULL OR type(u) IN $linkTypes)
        AND ($grades IS NULL OR any(g IN u.grades WHERE g IN $grades))
        AND ($types IS NULL OR p.type IN $types)
        AND ($ops IS NULL OR (any(o IN u.ops WHERE o IN $ops) AND any(o IN p.ops WHERE o IN $ops)))
    })
  RETURN a AS x, null AS y, null AS l
  UNION ALL
  MATCH (a:Entity)-[l]->(b:Entity)
  WHERE ($linkTypes IS NULL OR type(l) IN $linkTypes)
    AND ($grades IS NULL OR any(g IN l.grades WHERE g IN $grades))
    AND ($types IS NULL OR (a.type IN $types AND b.type IN $types))
    AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
      AND any(o IN b.ops WHERE o IN $ops)))
  WITH a, l, b,
    CASE WHEN a.type = 'Phone' THEN COLLECT {
      MATCH (p:Entity)-[u:USES|OWNS]->(a)
      WHERE ($linkTypes IS NULL OR type(u) IN $linkTypes)
        AND ($grades IS NULL OR any(g IN u.grades WHERE g IN $grades))
        AND ($types IS NULL OR p.type IN $types)
        AND ($ops IS NULL OR (any(o IN u.ops WHERE o IN $ops) AND any(o IN p.ops WHERE o IN $ops)))
      RETURN p ORDER BY u.weight DESC, u.n ASC LIMIT 1
    } ELSE [] END AS ua,
    CASE WHEN b.type = 'Phone' THEN COLLECT {
      MATCH (p:Entity)-[u:USES|OWNS]->(b)
      WHERE ($linkTypes IS NULL OR type(u) IN $linkTypes)
        AND ($grades IS NULL OR any(g IN u.grades WHERE g IN $grades))
        AND ($types IS NULL OR p.type IN $types)
        AND ($ops IS NULL OR (any(o IN u.ops WHERE o IN $ops) AND any(o IN p.ops WHERE o IN $ops)))
      RETURN p ORDER BY u.weight DESC, u.n ASC LIMIT 1
    } ELSE [] END AS ub
  WITH coalesce(ua[0], a) AS x, coalesce(ub[0], b) AS y, l
  WHERE x <> y
  RETURN x, y, l
}
WITH x, y, l, CASE
    WHEN l IS NULL THEN 0.0
    // A call or sighting link shared with an operation outside the scope weighs its in-scope calls alone, as
    // the scoped subgraph shows it (server/store/sqlite/scope.ts scopeLinks).
    WHEN $ops IS NULL OR all(x IN l.ops WHERE x IN $ops) OR NOT type(l) IN ['CALLED', 'SIGHTED_AT']
      OR NOT EXISTS { MATCH (v:LinkEvent {linkId: l.id}) } THEN coalesce(l.weight, 0.0)
    ELSE toFloat(CASE WHEN COUNT { MATCH (v:LinkEvent {linkId: l.id}) WHERE v.op IN $ops } > 0
      THEN COUNT { MATCH (v:LinkEvent {linkId: l.id}) WHERE v.op IN $ops } ELSE 1 END)
  END AS lw
WITH
  CASE WHEN y IS NULL OR x.n < y.n THEN x ELSE y END AS s,
  CASE WHEN y IS NULL THEN null WHEN x.n < y.n THEN y ELSE x END AS t,
  sum(lw) AS w,
  count(l) AS c
WITH gds.graph.project($name, s, t,
  { relationshipProperties: CASE WHEN t IS NULL THEN {} ELSE { weight: toFloat(w), hops: toFloat(c) } END },
  { undirectedRelationshipTypes: ['*'] }) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS rels

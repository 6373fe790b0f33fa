// A view as an undirected GDS graph named $name (Cypher projection). Links between the same two entities are
// summed into one relationship (as the server's CSR does); with $allNodes, entities without links are nodes too.
// $ops (a view's operations, or null) keeps only the facts of those operations, as the scoped reads do.
MATCH (a:Entity)
WHERE ($types IS NULL OR a.type IN $types) AND ($ops IS NULL OR any(o IN a.ops WHERE o IN $ops))
OPTIONAL MATCH (a)-[l]->(b:Entity)
WHERE ($linkTypes IS NULL OR type(l) IN $linkTypes)
  AND (NOT $windowed OR (l.firstMs IS NULL AND l.lastMs IS NULL)
    OR (($toMs IS NULL OR l.firstMs IS NULL OR l.firstMs <= $toMs)
      AND ($fromMs IS NULL OR l.lastMs IS NULL OR l.lastMs >= $fromMs)))
  AND ($grades IS NULL OR any(g IN l.grades WHERE g IN $grades))
  AND ($types IS NULL OR b.type IN $types)
  AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN b.ops WHERE o IN $ops)))
WITH a, b, l
WHERE b IS NOT NULL OR $allNodes
WITH a, b, l, CASE
    WHEN l IS NULL THEN 0.0
    // A call or sighting link shared with an operation outside the scope weighs its in-scope calls alone, as
    // the scoped subgraph shows it (server/store/sqlite/scope.ts scopeLinks).
    WHEN $ops IS NULL OR all(x IN l.ops WHERE x IN $ops) OR NOT type(l) IN ['CALLED', 'SIGHTED_AT']
      OR NOT EXISTS { MATCH (v:LinkEvent {linkId: l.id}) } THEN coalesce(l.weight, 0.0)
    ELSE toFloat(CASE WHEN COUNT { MATCH (v:LinkEvent {linkId: l.id}) WHERE v.op IN $ops } > 0
      THEN COUNT { MATCH (v:LinkEvent {linkId: l.id}) WHERE v.op IN $ops } ELSE 1 END)
  END AS lw
WITH
  CASE WHEN b IS NULL OR a.n < b.n THEN a ELSE b END AS x,
  CASE WHEN b IS NULL THEN null WHEN a.n < b.n THEN b ELSE a END AS y,
  sum(lw) AS w,
  count(l) AS c
WITH gds.graph.project($name, x, y,
  { relationshipProperties: CASE WHEN y IS NULL THEN {} ELSE { weight: toFloat(w), hops: toFloat(c) } END },
  { undirectedRelationshipTypes: ['*'] }) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS rels

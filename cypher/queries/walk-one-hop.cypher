// A one-hop walk in one round trip (issue 21: audited 1-hop expansion at 1M links): what walk-seeds.cypher and
// two neighbours.cypher calls (the seeds' links, then the links among the ring they reach) returned, as one row.
// - v, outside: the data version, and how many operations the scope leaves out (none: no fact is tested).
// - seeds: the seeds the scope sees, as a walk's result shows them.
// - hop: each seed's links that pass the view filter, with the entity at the other end.
// - among: the links between two entities of the ring, each once (the ring's links back to the seeds are in hop
//   already), or null when seeds and ring together pass $limit: the walk is then cut short, and the caller
//   reads the links among the part of the ring it keeps (neighbours.cypher), so the work stays bounded.
// Links and entities come back as lists, not maps (the fields of rows.ts LinkRel and EntityNode that a walk's
// result shows, in the order graph-walk.ts reads them): the driver then decodes no key names, a large part of a
// walk's cost in Node at 10 clients.
// The filter is neighbours.cypher's, written twice (Cypher has no functions): keep the three in step.
OPTIONAL MATCH (m:Meta {k: 'state'})
WITH coalesce(m.dataVersion, 0) AS v,
  CASE WHEN $ops IS NULL THEN 0 ELSE COUNT { MATCH (x:Operation) WHERE NOT x.id IN $ops } END AS outside
WITH v, outside, CASE WHEN outside = 0 THEN null ELSE $ops END AS ops
CALL {
  WITH ops
  UNWIND $ids AS id
  MATCH (e:Entity {id: id})
  USING INDEX e:Entity(id)
  WHERE ops IS NULL OR any(x IN e.ops WHERE x IN ops)
  RETURN collect(DISTINCT e) AS seedNodes
}
CALL {
  WITH seedNodes, ops
  UNWIND seedNodes AS u
  MATCH (u)-[l]-(o:Entity)
  WHERE ($linkTypes IS NULL OR type(l) IN $linkTypes)
    AND (NOT $windowed OR CASE
      WHEN type(l) IN ['CALLED', 'SIGHTED_AT'] AND EXISTS { MATCH (ev:LinkEvent {linkId: l.id}) }
      THEN EXISTS {
        MATCH (ev:LinkEvent {linkId: l.id})
        WHERE (ops IS NULL OR ev.op IN ops) AND ev.at >= coalesce($fromMs, -8640000000000000) AND ev.at <= coalesce($toMs, 8640000000000000)
      }
      ELSE (l.firstMs IS NULL AND l.lastMs IS NULL)
        OR (($toMs IS NULL OR l.firstMs IS NULL OR l.firstMs <= $toMs)
          AND ($fromMs IS NULL OR l.lastMs IS NULL OR l.lastMs >= $fromMs))
    END)
    AND ($grades IS NULL OR CASE WHEN ops IS NULL OR all(x IN l.ops WHERE x IN ops)
      THEN any(g IN l.grades WHERE g IN $grades)
      ELSE EXISTS {
        UNWIND coalesce(l.reports, []) AS rid
        MATCH (r:Report {id: rid})
        WHERE r.op IN ops AND r.grade IN $grades
      }
    END)
    AND (ops IS NULL OR (any(x IN l.ops WHERE x IN ops) AND any(x IN o.ops WHERE x IN ops)))
    AND ($types IS NULL OR o.type IN $types)
  WITH u, o, l, startNode(l) AS a, endNode(l) AS b
  RETURN collect([u.id, o.id,
    [l.id, l.n, l.directed, l.weight, l.firstSeen, l.lastSeen, l.props, l.grades, l.reports, l.ops,
      l.createdAt, l.updatedAt, type(l), a.id, b.id],
    [o.id, o.n, o.type, o.key, o.label, o.props, o.reviewDate, o.createdAt, o.updatedAt, o.ops, o.opProps]]) AS hop,
    collect(DISTINCT o) AS reached
}
WITH v, outside, ops, seedNodes, hop, [x IN reached WHERE NOT x IN seedNodes] AS ring
CALL {
  WITH seedNodes, ring, ops
  WITH seedNodes, ring, ops WHERE size(seedNodes) + size(ring) <= $limit
  UNWIND ring AS u
  MATCH (u)-[l]-(o:Entity)
  WHERE o IN ring AND elementId(u) <= elementId(o)
    AND ($linkTypes IS NULL OR type(l) IN $linkTypes)
    AND (NOT $windowed OR CASE
      WHEN type(l) IN ['CALLED', 'SIGHTED_AT'] AND EXISTS { MATCH (ev:LinkEvent {linkId: l.id}) }
      THEN EXISTS {
        MATCH (ev:LinkEvent {linkId: l.id})
        WHERE (ops IS NULL OR ev.op IN ops) AND ev.at >= coalesce($fromMs, -8640000000000000) AND ev.at <= coalesce($toMs, 8640000000000000)
      }
      ELSE (l.firstMs IS NULL AND l.lastMs IS NULL)
        OR (($toMs IS NULL OR l.firstMs IS NULL OR l.firstMs <= $toMs)
          AND ($fromMs IS NULL OR l.lastMs IS NULL OR l.lastMs >= $fromMs))
    END)
    AND ($grades IS NULL OR CASE WHEN ops IS NULL OR all(x IN l.ops WHERE x IN ops)
      THEN any(g IN l.grades WHERE g IN $grades)
      ELSE EXISTS {
        UNWIND coalesce(l.reports, []) AS rid
        MATCH (r:Report {id: rid})
        WHERE r.op IN ops AND r.grade IN $grades
      }
    END)
    AND (ops IS NULL OR (any(x IN l.ops WHERE x IN ops) AND any(x IN o.ops WHERE x IN ops)))
    AND ($types IS NULL OR o.type IN $types)
  WITH u, o, l, startNode(l) AS a, endNode(l) AS b
  RETURN collect([u.id, o.id,
    [l.id, l.n, l.directed, l.weight, l.firstSeen, l.lastSeen, l.props, l.grades, l.reports, l.ops,
      l.createdAt, l.updatedAt, type(l), a.id, b.id]]) AS among
}
RETURN v, outside,
  [o IN seedNodes | [o.id, o.n, o.type, o.key, o.label, o.props, o.reviewDate, o.createdAt, o.updatedAt, o.ops, o.opProps]] AS seeds,
  hop, CASE WHEN size(seedNodes) + size(ring) <= $limit THEN among END AS among

MATCH (e:Entity {id: $id})
WHERE ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
CALL (e) {
  UNWIND coalesce(e.reports, []) AS rid
  MATCH (r:Report {id: rid})
  WHERE $ops IS NULL OR r.op IN $ops
  RETURN collect(r {.*}) AS reports
}
CALL (e) {
  OPTIONAL MATCH (al:Alias {entityId: e.id})
  RETURN collect(al.key) AS aliases
}
RETURN e {.*} AS e, reports, aliases

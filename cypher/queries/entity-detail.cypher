MATCH (e:Entity {id: $id})
CALL (e) {
  UNWIND coalesce(e.reports, []) AS rid
  MATCH (r:Report {id: rid})
  RETURN collect(r {.*}) AS reports
}
CALL (e) {
  OPTIONAL MATCH (al:Alias {entityId: e.id})
  RETURN collect(al.key) AS aliases
}
RETURN e {.*} AS e, reports, aliases

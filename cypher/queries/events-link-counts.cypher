// Sets the counts of CALLED and SIGHTED_AT links derived from their events.
UNWIND $rows AS r
CALL (r) {
  MATCH ()-[l:CALLED {id: r.id}]->()
  RETURN l
  UNION
  MATCH ()-[l:SIGHTED_AT {id: r.id}]->()
  RETURN l
}
SET l.weight = r.weight, l.firstSeen = r.firstSeen, l.lastSeen = r.lastSeen, l.firstMs = r.firstMs,
  l.lastMs = r.lastMs, l.props = r.props, l.updatedAt = r.updatedAt

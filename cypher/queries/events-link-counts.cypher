// Sets the counts of CALLED and SIGHTED_AT links derived from their events; returns how many it changed
// (only those whose figures differ are written, so a file loaded again moves the data version only if it
// refined something).
UNWIND $rows AS r
CALL (r) {
  MATCH ()-[l:CALLED {id: r.id}]->()
  RETURN l
  UNION
  MATCH ()-[l:SIGHTED_AT {id: r.id}]->()
  RETURN l
}
WITH l, r
WHERE l.firstMs IS NULL OR l.lastMs IS NULL OR l.firstSeen IS NULL OR l.lastSeen IS NULL OR l.props IS NULL
  OR NOT (l.weight = r.weight AND l.firstMs = r.firstMs AND l.lastMs = r.lastMs AND l.firstSeen = r.firstSeen
    AND l.lastSeen = r.lastSeen AND l.props = r.props)
SET l.weight = r.weight, l.firstSeen = r.firstSeen, l.lastSeen = r.lastSeen, l.firstMs = r.firstMs,
  l.lastMs = r.lastMs, l.props = r.props, l.updatedAt = r.updatedAt
RETURN count(l) AS changed

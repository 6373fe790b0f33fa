// The ends of CALLED and SIGHTED_AT links by id (an event's fromId and toId), through each type's id index.
UNWIND $ids AS id
CALL (id) {
  MATCH (a:Entity)-[l:CALLED {id: id}]->(b:Entity)
  WITH l, a, b
  WHERE ($ops IS NULL OR any(o IN l.ops WHERE o IN $ops)) AND ($ops IS NULL OR any(o IN a.ops WHERE o IN $ops)) AND ($ops IS NULL OR any(o IN b.ops WHERE o IN $ops))
  RETURN l.id AS link, a.id AS from, b.id AS to
  UNION
  MATCH (a:Entity)-[l:SIGHTED_AT {id: id}]->(b:Entity)
  WITH l, a, b
  WHERE ($ops IS NULL OR any(o IN l.ops WHERE o IN $ops)) AND ($ops IS NULL OR any(o IN a.ops WHERE o IN $ops)) AND ($ops IS NULL OR any(o IN b.ops WHERE o IN $ops))
  RETURN l.id AS link, a.id AS from, b.id AS to
}
RETURN link, from, to

// One index seek per link type (each has a uniqueness constraint on id).
CALL () {
  MATCH (a)-[l:ASSOCIATE_OF {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:RELATIVE_OF {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:MEMBER_OF {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:USES {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:OWNS {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:RESIDES_AT {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:FREQUENTS {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:CALLED {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:SIGHTED_AT {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:INVOLVED_IN {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:OCCURRED_AT {id: $id}]->(b)
  RETURN a, l, b
  UNION ALL
  MATCH (a)-[l:TRANSFERRED {id: $id}]->(b)
  RETURN a, l, b
}
WITH a, l, b
WHERE ($ops IS NULL OR any(o IN l.ops WHERE o IN $ops)) AND ($ops IS NULL OR any(o IN a.ops WHERE o IN $ops)) AND ($ops IS NULL OR any(o IN b.ops WHERE o IN $ops))
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

// A page of links in id order, keyset style: each type's links come from its own index on n (schema.cypher),
// at most $take of them after $after, so a page costs about $take index entries per type instead of a scan
// and sort of every link. One branch per link type of the domain's allow-list (LINK_TYPES); the WITH before
// each MATCH skips the branches of other types when $type is given. $take is offset + limit + 1 (one more
// than the page, to say whether another follows). The branches hand on the relationships alone, so only the
// page's own links are read whole.
CALL {
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'ASSOCIATE_OF'
  MATCH (a:Entity)-[l:ASSOCIATE_OF]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'RELATIVE_OF'
  MATCH (a:Entity)-[l:RELATIVE_OF]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'MEMBER_OF'
  MATCH (a:Entity)-[l:MEMBER_OF]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'USES'
  MATCH (a:Entity)-[l:USES]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'OWNS'
  MATCH (a:Entity)-[l:OWNS]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'RESIDES_AT'
  MATCH (a:Entity)-[l:RESIDES_AT]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'FREQUENTS'
  MATCH (a:Entity)-[l:FREQUENTS]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'CALLED'
  MATCH (a:Entity)-[l:CALLED]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'SIGHTED_AT'
  MATCH (a:Entity)-[l:SIGHTED_AT]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'INVOLVED_IN'
  MATCH (a:Entity)-[l:INVOLVED_IN]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'OCCURRED_AT'
  MATCH (a:Entity)-[l:OCCURRED_AT]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'TRANSFERRED'
  MATCH (a:Entity)-[l:TRANSFERRED]->(b:Entity)
  WHERE l.n > $after AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l
  ORDER BY l.n
  LIMIT $take
}
WITH l
ORDER BY l.n
SKIP $offset
LIMIT $limit
RETURN l {.*, type: type(l), from: startNode(l).id, to: endNode(l).id} AS l

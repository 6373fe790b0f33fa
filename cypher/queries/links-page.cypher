// A page of links in id order, keyset style: each type's links come from its own index on n (schema.cypher),
// at most $take of them after $after, so a page costs about $take index entries per type instead of a scan
// and sort of every link. One branch per link type of the domain's allow-list (LINK_TYPES); the WITH before
// each MATCH skips the branches of other types when $type is given. $take is offset + limit + 1 (one more
// than the page, to say whether another follows). $upto (null: none) bounds the seek from above: link numbers are
// one sequence over all types, so the first $take links lie at or below about $after + $take, and each branch
// then reads only its share of that range instead of $take of its own (links-page in graph-read.ts widens it
// when the range held too few). Each branch hands on the relationship and its n, read from the index, so only
// the page's own links are read whole. The ends are matched without labels: every relationship of these
// types joins two entities, and an unscoped read need not look at them.
CALL {
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'ASSOCIATE_OF'
  MATCH (a)-[l:ASSOCIATE_OF]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'RELATIVE_OF'
  MATCH (a)-[l:RELATIVE_OF]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'MEMBER_OF'
  MATCH (a)-[l:MEMBER_OF]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'USES'
  MATCH (a)-[l:USES]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'OWNS'
  MATCH (a)-[l:OWNS]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'RESIDES_AT'
  MATCH (a)-[l:RESIDES_AT]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'FREQUENTS'
  MATCH (a)-[l:FREQUENTS]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'CALLED'
  MATCH (a)-[l:CALLED]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'SIGHTED_AT'
  MATCH (a)-[l:SIGHTED_AT]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'INVOLVED_IN'
  MATCH (a)-[l:INVOLVED_IN]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'OCCURRED_AT'
  MATCH (a)-[l:OCCURRED_AT]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'TRANSFERRED'
  MATCH (a)-[l:TRANSFERRED]->(b:Entity)
  WHERE l.n > $after AND l.n <= coalesce($upto, 9007199254740991) AND ($ops IS NULL OR (any(o IN l.ops WHERE o IN $ops) AND any(o IN a.ops WHERE o IN $ops)
    AND any(o IN b.ops WHERE o IN $ops)))
  RETURN l, l.n AS n
  ORDER BY n
  LIMIT $take
}
WITH l, n
ORDER BY n
SKIP $offset
LIMIT $limit
RETURN l {.*, type: type(l), from: startNode(l).id, to: endNode(l).id} AS l

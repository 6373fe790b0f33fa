// The number of links (of one type, or of all), from Neo4j's count store: one typed count per link type of
// the allow-list (LINK_TYPES), each answered without reading a relationship. Every relationship of these types
// joins two entities, so this equals what links-count finds by matching them.
CALL {
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'ASSOCIATE_OF'
  MATCH ()-[l:ASSOCIATE_OF]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'RELATIVE_OF'
  MATCH ()-[l:RELATIVE_OF]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'MEMBER_OF'
  MATCH ()-[l:MEMBER_OF]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'USES'
  MATCH ()-[l:USES]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'OWNS'
  MATCH ()-[l:OWNS]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'RESIDES_AT'
  MATCH ()-[l:RESIDES_AT]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'FREQUENTS'
  MATCH ()-[l:FREQUENTS]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'CALLED'
  MATCH ()-[l:CALLED]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'SIGHTED_AT'
  MATCH ()-[l:SIGHTED_AT]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'INVOLVED_IN'
  MATCH ()-[l:INVOLVED_IN]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'OCCURRED_AT'
  MATCH ()-[l:OCCURRED_AT]->()
  RETURN count(l) AS c
  UNION ALL
  WITH $type AS t
  WITH t WHERE t IS NULL OR t = 'TRANSFERRED'
  MATCH ()-[l:TRANSFERRED]->()
  RETURN count(l) AS c
}
RETURN sum(c) AS c

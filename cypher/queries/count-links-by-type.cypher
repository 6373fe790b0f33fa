// Links of each type from Neo4j's count store: one typed count per link type of the allow-list (LINK_TYPES),
// each a count-store lookup that reads no relationship, where grouping every relationship by type(l) read
// them all. Every relationship of these types is a link (links-page-count.cypher counts the same way).
UNWIND [
  {t: 'ASSOCIATE_OF', c: COUNT { ()-[:ASSOCIATE_OF]->() }},
  {t: 'RELATIVE_OF', c: COUNT { ()-[:RELATIVE_OF]->() }},
  {t: 'MEMBER_OF', c: COUNT { ()-[:MEMBER_OF]->() }},
  {t: 'USES', c: COUNT { ()-[:USES]->() }},
  {t: 'OWNS', c: COUNT { ()-[:OWNS]->() }},
  {t: 'RESIDES_AT', c: COUNT { ()-[:RESIDES_AT]->() }},
  {t: 'FREQUENTS', c: COUNT { ()-[:FREQUENTS]->() }},
  {t: 'CALLED', c: COUNT { ()-[:CALLED]->() }},
  {t: 'SIGHTED_AT', c: COUNT { ()-[:SIGHTED_AT]->() }},
  {t: 'INVOLVED_IN', c: COUNT { ()-[:INVOLVED_IN]->() }},
  {t: 'OCCURRED_AT', c: COUNT { ()-[:OCCURRED_AT]->() }},
  {t: 'TRANSFERRED', c: COUNT { ()-[:TRANSFERRED]->() }}
] AS tc
WITH tc
WHERE tc.c > 0
RETURN tc.t AS t, tc.c AS c

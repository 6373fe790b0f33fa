// The number of links (of one type, or of all), from Neo4j's count store: one typed COUNT per link type of
// the allow-list (LINK_TYPES), each a count-store lookup that reads no relationship (twelve lookups, whatever
// the size). Every relationship of these types joins two entities, so this equals what links-count matches.
UNWIND [
  {t: 'ASSOCIATE_OF', c: COUNT { ()-[l:ASSOCIATE_OF]->() }},
  {t: 'RELATIVE_OF', c: COUNT { ()-[l:RELATIVE_OF]->() }},
  {t: 'MEMBER_OF', c: COUNT { ()-[l:MEMBER_OF]->() }},
  {t: 'USES', c: COUNT { ()-[l:USES]->() }},
  {t: 'OWNS', c: COUNT { ()-[l:OWNS]->() }},
  {t: 'RESIDES_AT', c: COUNT { ()-[l:RESIDES_AT]->() }},
  {t: 'FREQUENTS', c: COUNT { ()-[l:FREQUENTS]->() }},
  {t: 'CALLED', c: COUNT { ()-[l:CALLED]->() }},
  {t: 'SIGHTED_AT', c: COUNT { ()-[l:SIGHTED_AT]->() }},
  {t: 'INVOLVED_IN', c: COUNT { ()-[l:INVOLVED_IN]->() }},
  {t: 'OCCURRED_AT', c: COUNT { ()-[l:OCCURRED_AT]->() }},
  {t: 'TRANSFERRED', c: COUNT { ()-[l:TRANSFERRED]->() }}
] AS tc
WITH tc
WHERE $type IS NULL OR tc.t = $type
RETURN sum(tc.c) AS c

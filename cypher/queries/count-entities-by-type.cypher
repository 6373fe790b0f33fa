// Entities of each type from Neo4j's count store: every entity carries its type as a label beside :Entity
// (entities-create.cypher), and a count of one label is a count-store lookup that reads no node (seven
// lookups, whatever the size), where grouping on e.type read every entity. One row per type of the domain's
// allow-list (ENTITY_TYPES; test/unit/cypher-types.test.ts checks that none is missing).
UNWIND [
  {t: 'Person', c: COUNT { (:Person) }},
  {t: 'Organisation', c: COUNT { (:Organisation) }},
  {t: 'Vehicle', c: COUNT { (:Vehicle) }},
  {t: 'Phone', c: COUNT { (:Phone) }},
  {t: 'Location', c: COUNT { (:Location) }},
  {t: 'Account', c: COUNT { (:Account) }},
  {t: 'Event', c: COUNT { (:Event) }}
] AS tc
WITH tc
WHERE tc.c > 0
RETURN tc.t AS t, tc.c AS c

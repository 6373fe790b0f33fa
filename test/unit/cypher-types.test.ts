// A new link type must reach the Neo4j side too: its id constraint in cypher/schema.cypher and its branch in
// the per-type lookup cypher/queries/link-by-id.cypher. This fails (without a Neo4j server) when one is
// forgotten, naming the type; docs/ARCHITECTURE.md lists the other places a link type goes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES, LINK_TYPES } from '../../server/domain/model.ts';

const cypher = (file: string): string =>
  readFileSync(new URL(`../../cypher/${file}`, import.meta.url), 'utf8');

describe('cypher/ covers every link type', () => {
  it('has an id uniqueness constraint per link type, and none for a type the domain does not have', () => {
    const constrained = [
      ...cypher('schema.cypher').matchAll(/FOR \(\)-\[l:(\w+)\]-\(\) REQUIRE l\.id IS UNIQUE/g),
    ].map((m) => m[1]);
    expect([...constrained].sort()).toEqual([...LINK_TYPES].sort());
  });

  it('finds a link by id under every link type', () => {
    const branches = [...cypher('queries/link-by-id.cypher').matchAll(/\[l:(\w+) \{id: \$id\}\]/g)].map(
      (m) => m[1],
    );
    expect([...branches].sort()).toEqual([...LINK_TYPES].sort());
  });

  it('counts every entity and link type from the count store, each under its own label or type', () => {
    // The counts behind health and start-up read one count-store entry per type; a type left out would be
    // missing from every count.
    const labels = [
      ...cypher('queries/count-entities-by-type.cypher').matchAll(
        /\{t: '(\w+)', c: COUNT \{ \(:(\w+)\) \}\}/g,
      ),
    ];
    for (const m of labels) expect(m[2]).toBe(m[1]);
    expect(labels.map((m) => m[1]).sort()).toEqual([...ENTITY_TYPES].sort());
    for (const file of ['count-links-by-type', 'links-page-count']) {
      const types = [
        ...cypher(`queries/${file}.cypher`).matchAll(
          /\{t: '(\w+)', c: COUNT \{ \(\)-\[\w*:(\w+)\]->\(\) \}\}/g,
        ),
      ];
      for (const m of types) expect(m[2]).toBe(m[1]);
      expect(types.map((m) => m[1]).sort()).toEqual([...LINK_TYPES].sort());
    }
  });
});

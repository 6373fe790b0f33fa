// The link-list queries name every link type of the domain's allow-list, one branch each: a type added to
// LINK_TYPES without a branch would silently drop its links from GET /api/links on Neo4j.
import { describe, expect, it } from 'vitest';
import { LINK_TYPES } from '../../server/domain/model.ts';
import { cypher, schemaStatements } from '../../server/store/neo4j/queries.ts';

describe('links-page and links-page-count', () => {
  for (const name of ['links-page', 'links-page-count']) {
    it(`${name} has one branch per link type`, () => {
      const matched = [...cypher(name).matchAll(/-\[l:([A-Z_]+)\]->/g)].map((m) => m[1]);
      const guarded = [...cypher(name).matchAll(/(?:t = |t: )'([A-Z_]+)'/g)].map((m) => m[1]);
      expect([...matched].sort()).toEqual([...LINK_TYPES].sort());
      expect(guarded).toEqual(matched);
    });
  }
  it('every link type has the index on n that links-page reads in order', () => {
    const indexed = schemaStatements()
      .map((s) => /FOR \(\)-\[l:([A-Z_]+)\]-\(\) ON \(l\.n\)/.exec(s)?.[1])
      .filter((t): t is string => t !== undefined);
    expect(indexed.sort()).toEqual([...LINK_TYPES].sort());
  });
});

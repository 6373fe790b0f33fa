// Need-to-know on Neo4j is in the Cypher (issue 17: "a membership pattern on every read, not applied after the
// fact"): every named query a scoped read runs takes the scope as `$ops` and tests it against the `ops`/`op`
// membership of what it matches. A read query added without it would let a closed operation's facts through;
// this names it. Runs without a server.
import { describe, expect, it } from 'vitest';
import { cypher } from '../../server/store/neo4j/queries.ts';

/** The queries of the scoped reads (graph-read.ts, graph-walk.ts, events.ts, scope-facts.ts, listMerges, the
 * GDS projection of a view naming operations, the duplicates queue and what a run takes off it, import runs,
 * and the streamed analysis view's pages). */
const SCOPED_READS = [
  'entity-detail',
  'entities-by-id',
  'entities-by-key',
  'entities-list',
  'entities-count',
  'entities-of-types',
  'entity-types-by-id',
  'entity-visible',
  'link-by-id',
  'links-page',
  'links-scoped-count',
  'links-of-entity-list',
  'links-of-entity-count',
  'neighbours',
  'walk-seeds',
  'subgraph-links',
  'search',
  'report-by-id-or-ref',
  'reports-by-id',
  'reports-list',
  'reports-count',
  'reports-due-list',
  'reports-due-count',
  'report-grades',
  'events-page',
  'events-distinct',
  'events-entity-links',
  'events-link-ends',
  'merges-list',
  'merges-count',
  'gds-project',
  'dup-by-id',
  'dup-list',
  'dup-count',
  'dup-waiting',
  'import-runs-list',
  'import-runs-count',
  'view-links-page',
  'view-entities-page',
  'view-entities-by-n',
];

describe('scoped reads filter by operation in their Cypher', () => {
  for (const name of SCOPED_READS) {
    it(name, () => {
      const q = cypher(name);
      expect(q, name).toMatch(/\$ops/);
      expect(q, name).toMatch(/\.ops\b|\.op\b/);
    });
  }

  it('every link-type branch of a link query tests the link and both ends', () => {
    for (const name of ['links-page', 'link-by-id', 'events-link-ends']) {
      const q = cypher(name);
      const branches = q.split('UNION').length;
      // One test of l.ops, a.ops and b.ops per branch (link-by-id tests them once, after the union).
      const tests = ['l', 'a', 'b'].map((v) => q.split(`${v}.ops`).length - 1);
      for (const t of tests) expect(t, name).toBeGreaterThanOrEqual(name === 'link-by-id' ? 1 : branches);
    }
  });
});

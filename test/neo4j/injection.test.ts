// Cypher injection: text that looks like Cypher or Lucene (quotes, backticks, //, }, DETACH DELETE) is stored and
// searched as plain text, and labels or relationship types taken from input are refused unless they are on the
// domain's allow-lists. The database's node and relationship counts are checked around every attempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../server/store/common.ts';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

const NASTY = [
  `O'Brien "Bomber" \`Mac\``,
  `x'}) DETACH DELETE n //`,
  '`) MATCH (n) DETACH DELETE n //',
  `"}]->() WITH 1 AS x MATCH (n) DETACH DELETE n RETURN 1 //`,
  `\\' OR 1=1 -- } {`,
  'DETACH DELETE',
  '$param {a: 1} /* c */ ;',
];

const SEARCHES = [
  ...NASTY,
  '"',
  '*',
  '?',
  'AND',
  'OR NOT',
  'label:x',
  '[a TO z]',
  'a~2',
  '\\',
  '(',
  ')',
  '}',
  '//',
  '+-&&||!',
  'CALL db.index.fulltext.queryNodes',
];

const ctx = { actor: `actor'"\`}` };

describe.skipIf(!avail.ok)('Cypher injection on the Neo4j store', () => {
  let release: () => void = () => {};
  let stores: Neo4jStores;
  beforeAll(async () => {
    release = await lockDatabase();
    if (avail.ok) stores = await avail.server.freshStore();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    await stores?.close();
    release();
    if (avail.ok) await avail.server.close();
  });

  it('stores hostile text as plain text and finds it by its words', async () => {
    if (!avail.ok) return;
    const db = avail.server;
    const r = await stores.graph.writeBatch(
      {
        reports: [
          {
            ref: NASTY[1],
            date: '2024-01-01',
            author: NASTY[2],
            text: NASTY[3],
            source: 1,
            intel: 'A',
            handling: 'C',
            conditions: NASTY[4],
          },
        ],
        entities: NASTY.map((label, i) => ({
          type: 'Person' as const,
          label: `${label} ${i}`,
          key: `${label}|${i}`,
          properties: { note: label, x_y: `${label}}`, n: i },
          reports: [NASTY[1]],
        })),
        links: NASTY.slice(1).map((label, i) => ({
          type: 'ASSOCIATE_OF' as const,
          from: { type: 'Person' as const, key: `${NASTY[0]}|0` },
          to: { type: 'Person' as const, key: `${label}|${i + 1}` },
          properties: { why: label },
          reports: [NASTY[1]],
        })),
      },
      ctx,
    );
    expect(r.entities.created).toBe(NASTY.length);
    expect(r.links.created).toBe(NASTY.length - 1);
    const before = await db.dbCounts();
    for (const [i, label] of NASTY.entries()) {
      const e = await stores.graph.getEntity(r.entityIds[i]);
      expect(e?.label).toBe(`${label} ${i}`);
      expect(e?.key).toBe(`${label}|${i}`);
      expect(e?.properties).toEqual({ note: label, x_y: `${label}}`, n: i });
      expect((await stores.graph.findEntity('Person', `${label}|${i}`))?.id).toBe(r.entityIds[i]);
    }
    const rep = await stores.graph.getReport(NASTY[1]);
    expect(rep).toMatchObject({ ref: NASTY[1], author: NASTY[2], text: NASTY[3], conditions: NASTY[4] });
    const l = await stores.graph.getLink(r.linkIds[0]);
    expect(l?.properties).toEqual({ why: NASTY[1] });
    // Found by the words in them, and nothing else.
    const hits = await stores.graph.search('Bomber Mac');
    expect(hits.map((h) => h.entity.id)).toEqual([r.entityIds[0]]);
    expect((await stores.graph.search('DETACH DELETE')).length).toBeGreaterThanOrEqual(4);
    expect(await db.dbCounts()).toEqual(before);
  });

  it('answers every hostile search without error or side effect', async () => {
    if (!avail.ok) return;
    const before = await avail.server.dbCounts();
    for (const q of SEARCHES) {
      const hits = await stores.graph.search(q);
      expect(Array.isArray(hits), q).toBe(true);
      // A hit must contain a word of the query: no query syntax can widen the match.
      for (const h of hits) {
        const words = q
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .filter(Boolean);
        const text =
          `${h.entity.label} ${h.entity.key} ${Object.values(h.entity.properties).join(' ')}`.toLowerCase();
        expect(
          words.some((w) => text.includes(w)),
          `${q} -> ${h.entity.label}`,
        ).toBe(true);
      }
    }
    expect(await avail.server.dbCounts()).toEqual(before);
  });

  it('refuses labels, relationship types and property keys from outside the allow-lists', async () => {
    if (!avail.ok) return;
    const before = await avail.server.dbCounts();
    const attempts: unknown[] = [
      { entities: [{ type: 'Person`) DETACH DELETE n //', label: 'x' }] },
      { entities: [{ type: 'Person:Admin', label: 'x' }] },
      { entities: [{ type: 'Person', label: 'x', properties: { 'a`}) DETACH DELETE n //': 1 } }] },
      { entities: [{ type: 'Person', label: 'x', properties: { 'a.b': 1 } }] },
      { links: [{ type: 'KNOWS]->() DETACH DELETE n //', from: { id: 'e1' }, to: { id: 'e2' } }] },
      { links: [{ type: 'ASSOCIATE_OF', from: { id: "e1'}) DETACH DELETE n //" }, to: { id: 'e2' } }] },
      {
        links: [
          {
            type: 'ASSOCIATE_OF',
            from: { type: 'Person', key: "'}) MATCH (n) DETACH DELETE n //" },
            to: { id: 'e2' },
          },
        ],
      },
    ];
    for (const a of attempts) {
      const err = await stores.graph.writeBatch(a as never, ctx).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(a)).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('invalid');
    }
    for (const t of ['Person`) DETACH DELETE n //', "Person' OR 1=1"]) {
      expect(await stores.graph.findEntity(t as never, 'x')).toBeNull();
      const err = await stores.graph.subgraph({ entityTypes: [t as never] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as StoreError).code).toBe('invalid');
    }
    expect(await stores.graph.getEntity("e1'}) DETACH DELETE n //")).toBeNull();
    expect(await stores.graph.getLink('l1` DETACH DELETE n')).toBeNull();
    expect(await stores.graph.getReport("') DETACH DELETE n //")).toBeNull();
    await stores.workspace.saveChart({ name: NASTY[2], state: { q: NASTY[3] } }, ctx);
    await stores.workspace.createAnnotation(
      { target: { kind: 'entity', id: NASTY[1] }, text: NASTY[3], tags: [NASTY[5]] },
      ctx,
    );
    await stores.security.appendAudit({
      actor: NASTY[1],
      action: NASTY[2],
      outcome: 'ok',
      details: { q: NASTY[3] },
    });
    expect((await stores.security.listAudit({ actor: NASTY[1] })).items[0].details).toEqual({ q: NASTY[3] });
    expect((await stores.workspace.listAnnotations({ kind: 'entity', id: NASTY[1] })).items[0].tags).toEqual([
      NASTY[5],
    ]);
    const after = await avail.server.dbCounts();
    // The chart, annotation and audit record above are three new nodes; nothing else moved.
    expect(after).toEqual({ nodes: before.nodes + 3, rels: before.rels });
  });
});

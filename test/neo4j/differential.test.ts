// The Neo4j store against the SQLite store: the same operations on both must give the same answers (ids,
// counts, merge and unmerge, filters, errors), timestamps aside. A second check beside the contract suite,
// aimed at the places two implementations drift apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
if (!avail.ok) console.warn(avail.reason);

const ctx = { actor: 'tester', importId: 'imp-1' };

const base: WriteBatch = {
  reports: [
    {
      ref: 'R-1',
      date: '2024-01-02',
      author: 'DC Ames',
      text: 'Met at the pub',
      source: 1,
      intel: 'A',
      handling: 'P',
    },
    {
      ref: 'R-2',
      date: '2024-02-02',
      author: 'DC Ames',
      source: 3,
      intel: 'D',
      handling: 'C',
      conditions: 'no onward sharing',
    },
    {
      ref: 'R-3',
      date: '2024-03-02',
      author: 'PC Bell',
      source: 2,
      intel: 'B',
      handling: 'P',
      reviewDate: '2025-01-01',
    },
  ],
  entities: [
    { type: 'Person', label: 'John  Smith', properties: { dob: '1980-01-01' }, reports: ['R-1'] },
    { type: 'Person', label: 'Jane Doe', properties: { externalRef: 'pnc/123' }, reports: ['R-2'] },
    { type: 'Person', label: 'J. Smith', properties: { nickname: 'Smithy "the knife"' }, reports: ['R-2'] },
    { type: 'Phone', label: '07700 900123', reports: ['R-1'] },
    { type: 'Phone', label: '07700 900456' },
    { type: 'Location', label: 'The Crown', properties: { postcode: 'sw1a1aa' }, reports: ['R-3'] },
    { type: 'Organisation', label: 'Acme Ltd', properties: { companyNumber: '0123' } },
    { type: 'Person', label: 'John Smith', properties: { dob: '1980-01-01', height: 180 } },
  ],
  links: [
    {
      type: 'ASSOCIATE_OF',
      from: { type: 'Person', key: 'ref:PNC/123' },
      to: { type: 'Person', key: 'john smith|1980-01-01' },
      reports: ['R-1'],
      firstSeen: '2023-01-01',
      lastSeen: '2023-06-30',
    },
    {
      type: 'USES',
      from: { type: 'Person', key: 'john smith|1980-01-01' },
      to: { type: 'Phone', key: '07700 900123' },
      reports: ['R-2'],
    },
    {
      type: 'CALLED',
      from: { type: 'Phone', key: '+447700900123' },
      to: { type: 'Phone', key: '+447700900456' },
      weight: 12,
      firstSeen: '2024-01-01',
      lastSeen: '2024-01-31',
      reports: ['R-3'],
    },
    {
      type: 'RESIDES_AT',
      from: { type: 'Person', key: 'j. smith' },
      to: { type: 'Location', key: 'SW1A 1AA' },
    },
    {
      type: 'MEMBER_OF',
      from: { type: 'Person', key: 'j. smith' },
      to: { type: 'Organisation', key: 'co:0123' },
      reports: ['R-3'],
    },
    {
      type: 'ASSOCIATE_OF',
      from: { type: 'Person', key: 'j. smith' },
      to: { type: 'Person', key: 'ref:PNC/123' },
      weight: 2,
      reports: ['R-2'],
    },
    {
      type: 'ASSOCIATE_OF',
      from: { type: 'Person', key: 'john smith|1980-01-01' },
      to: { type: 'Person', key: 'ref:PNC/123' },
      weight: 3,
      lastSeen: '2023-09-01',
      reports: ['R-3'],
    },
  ],
};

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Timestamps out, scores rounded away, so two stores' answers compare. */
function norm(v: unknown): unknown {
  if (typeof v === 'string') return TS.test(v) ? '<ts>' : v;
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'hash' || k === 'prevHash' || k === 'score') continue;
      out[k] = norm(x);
    }
    return out;
  }
  return v;
}

async function settle<T>(p: Promise<T>): Promise<unknown> {
  try {
    return { ok: norm(await p) };
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string; path?: unknown };
    return { err: err.name, code: err.code, message: err.message, path: err.path };
  }
}

/** A script of operations; each step's answer is recorded. */
async function script(s: Stores): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const step = async (name: string, p: Promise<unknown>) => {
    out[name] = await settle(p);
  };
  await step('write1', s.graph.writeBatch(base, ctx));
  await step('write1-again', s.graph.writeBatch(base, ctx));
  await step('dv1', s.graph.dataVersion());
  await step(
    'write2',
    s.graph.writeBatch(
      {
        entities: [{ type: 'Phone', label: '+44 7700 900123', properties: { network: 'O2' } }],
        links: [
          {
            type: 'CALLED',
            from: { type: 'Phone', key: '07700900123' },
            to: { type: 'Phone', key: '07700900456' },
            weight: 5,
            firstSeen: '2023-12-01',
            reports: ['R-1'],
          },
        ],
      },
      { actor: 'tester', importId: 'imp-2' },
    ),
  );
  await step(
    'conflict',
    s.graph.writeBatch(
      { reports: [{ ref: 'R-1', date: '2024-01-03', author: 'x', source: 1, intel: 'A', handling: 'P' }] },
      ctx,
    ),
  );
  await step(
    'bad-rule',
    s.graph.writeBatch({ links: [{ type: 'CALLED', from: { id: 'e1' }, to: { id: 'e2' } }] }, ctx),
  );
  await step(
    'bad-key',
    s.graph.writeBatch(
      { links: [{ type: 'USES', from: { id: 'e1' }, to: { type: 'Phone', key: '+449999' } }] },
      ctx,
    ),
  );
  await step(
    'self-link',
    s.graph.writeBatch(
      {
        links: [
          { type: 'ASSOCIATE_OF', from: { id: 'e1' }, to: { type: 'Person', key: 'john smith|1980-01-01' } },
        ],
      },
      ctx,
    ),
  );
  await step(
    'bad-report',
    s.graph.writeBatch({ entities: [{ type: 'Person', label: 'Nobody', reports: ['R-404'] }] }, ctx),
  );
  await step('counts', s.counts());
  for (const id of ['e1', 'e2', 'e3', 'e4', 'e99', 'x1']) await step(`entity-${id}`, s.graph.getEntity(id));
  for (const id of ['l1', 'l2', 'l3', 'l6', 'l99']) await step(`link-${id}`, s.graph.getLink(id));
  await step('find-phone', s.graph.findEntity('Phone', '+447700900123'));
  await step('list-entities', s.graph.listEntities({ limit: 3, offset: 1 }));
  await step('list-persons', s.graph.listEntities({ type: 'Person' }));
  await step('list-links', s.graph.listLinks({}));
  await step('list-links-e1', s.graph.listLinks({ entityId: 'e1' }));
  await step('list-links-type', s.graph.listLinks({ type: 'ASSOCIATE_OF', limit: 2 }));
  await step('reports', s.graph.listReports({ dueBefore: '2026-01-01' }));
  await step('report-ref', s.graph.getReport('R-2'));
  await step('report-id', s.graph.getReport('r3'));
  const ids = async (q: string) => (await s.graph.search(q)).map((h) => h.entity.id).sort();
  await step('search-smith', ids('smith'));
  await step('search-quote', ids('"the knife'));
  await step('search-phone', ids('07700 900123'));
  await step('search-prefix', ids('Acm'));
  await step('nbh-1', s.graph.neighbourhood(['e1'], { hops: 1 }));
  await step(
    'nbh-2-filtered',
    s.graph.neighbourhood(['e1'], {
      hops: 2,
      filter: { from: '2024-01-01', minGrading: { source: 2, intel: 'C' } },
    }),
  );
  await step('nbh-limit', s.graph.neighbourhood(['e2'], { hops: 3, limit: 3 }));
  await step('paths', s.graph.shortestPaths('e2', 'e5'));
  await step(
    'paths-types',
    s.graph.shortestPaths('e2', 'e7', { filter: { linkTypes: ['ASSOCIATE_OF', 'MEMBER_OF'] } }),
  );
  await step('sub-all', s.graph.subgraph({}));
  await step('sub-window', s.graph.subgraph({ from: '2023-07-01', to: '2023-12-31' }));
  await step('sub-grade', s.graph.subgraph({ minGrading: { source: 1, intel: 'B' } }));
  await step('sub-types', s.graph.subgraph({ entityTypes: ['Person', 'Organisation'] }));
  await step('sub-limit', s.graph.subgraph({}, { limit: 2 }));
  await step(
    'upd-entity',
    s.graph.updateEntity('e3', { label: 'Jay Smith', addReports: ['R-3'], removeReports: ['R-2'] }, ctx),
  );
  await step(
    'upd-link',
    s.graph.updateLink('l1', { weight: 4, removeReports: ['R-1'], addReports: ['R-2'] }, ctx),
  );
  await step(
    'upd-link-bad',
    s.graph.updateLink('l1', { firstSeen: '2025-01-01', lastSeen: '2024-01-01' }, ctx),
  );
  await step('merge-self', s.graph.merge('e1', 'e1', ctx));
  await step('merge-type', s.graph.merge('e1', 'e4', ctx));
  const ann = await s.workspace.createAnnotation(
    { target: { kind: 'entity', id: 'e3' }, text: 'watch', tags: ['x'] },
    ctx,
  );
  out['annotation'] = norm(ann);
  await step('merge', s.graph.merge('e1', 'e3', ctx));
  await step('after-merge-e1', s.graph.getEntity('e1'));
  await step('after-merge-links', s.graph.listLinks({}));
  await step('after-merge-alias', s.graph.findEntity('Person', 'j. smith'));
  await step(
    'after-merge-write',
    s.graph.writeBatch({ entities: [{ type: 'Person', label: 'J. Smith' }] }, ctx),
  );
  await step('annotations-e1', s.workspace.listAnnotations({ kind: 'entity', id: 'e1' }));
  await step('merges', s.graph.listMerges());
  await step('unmerge', s.graph.unmerge('1', ctx));
  await step('unmerge-again', s.graph.unmerge('1', ctx));
  await step('after-unmerge-e1', s.graph.getEntity('e1'));
  await step('after-unmerge-e3', s.graph.getEntity('e3'));
  await step('after-unmerge-links', s.graph.listLinks({}));
  await step('annotations-e3', s.workspace.listAnnotations({ kind: 'entity', id: 'e3' }));
  await step('delete-report', s.graph.deleteReport('R-3', ctx));
  await step('after-delete-report', s.graph.subgraph({}));
  await step('delete-link', s.graph.deleteLink('l2', ctx));
  await step('delete-entity', s.graph.deleteEntity('e2', ctx));
  await step('delete-entity-again', s.graph.deleteEntity('e2', ctx));
  await step('after-deletes', s.graph.subgraph({}));
  await step('chart', s.workspace.saveChart({ name: 'Brief', state: { a: [1, 2] } }, ctx));
  await step('chart-upd', s.workspace.saveChart({ name: 'Brief 2', state: {} }, ctx, '1'));
  await step('chart-missing', s.workspace.saveChart({ name: 'x', state: {} }, ctx, '9'));
  await step('charts', s.workspace.listCharts());
  await step('user', s.security.createUser({ name: 'ana', role: 'analyst', passwordHash: 'h' }));
  await step('user-dup', s.security.createUser({ name: 'ana', role: 'viewer', passwordHash: 'h' }));
  await step('user-upd', s.security.updateUser('1', { disabled: true }));
  await step('users', s.security.listUsers());
  await step('user-by-name', s.security.getUserByName('ana'));
  for (let i = 0; i < 3; i++)
    await s.security.appendAudit({
      actor: 'ana',
      action: `a${i}`,
      outcome: 'ok',
      objectIds: ['e1'],
      details: { i, d: undefined },
    });
  await step('audit', s.security.listAudit({ actor: 'ana', objectId: 'e1' }));
  out['audit-chain'] = verifyAuditChain((await s.security.listAudit({ limit: 1000 })).items);
  await step('final-counts', s.counts());
  await step('final-dv', s.graph.dataVersion());
  return out;
}

describe.skipIf(!avail.ok)('Neo4j store answers as the SQLite store does', () => {
  let release: () => void = () => {};
  const dir = mkdtempSync(join(tmpdir(), 'lc-diff-'));
  beforeAll(async () => {
    release = await lockDatabase();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    rmSync(dir, { recursive: true, force: true });
    if (avail.ok) await avail.server.close();
  });

  it('gives the same answer to every step of a script', async () => {
    if (!avail.ok) return;
    const sqlite = await openSqliteStores(join(dir, 'a.db'));
    const neo = await avail.server.freshStore();
    try {
      const a = await script(sqlite);
      const b = await script(neo);
      if (process.env.LINKCHART_DIFF_DUMP)
        (await import('node:fs')).writeFileSync(
          process.env.LINKCHART_DIFF_DUMP,
          JSON.stringify({ a, b }, null, 1),
        );
      for (const k of Object.keys(a)) expect(b[k], k).toEqual(a[k]);
      expect(a['audit-chain']).toBeNull();
    } finally {
      await sqlite.close();
      await neo.close();
    }
  });
});

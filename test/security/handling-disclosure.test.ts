// The one disclosure check (server/security/handling.ts assessDisclosure): what an output carries decides
// whether C-coded intelligence lies behind it, whatever part of the output carries it; every export route
// gates on it and its audit record names the format, the source, the ids and the confirmation.
import './fast-kdf.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import {
  assessDisclosure,
  judgeDisclosure,
  type CarriedItem,
  type ReportMark,
} from '../../server/security/handling.ts';
import { disclosureDetails, disclosureDigest } from '../../server/security/audit.ts';
import { securedApp } from './app.ts';
import { loadConfig } from '../../server/config.ts';
import { readKeptIds } from '../../server/security/audit-export-ids.ts';
import { createRoleUsers, signIn, tempStore, type SignedIn, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;
let analyst: SignedIn;
const ids = new Map<string, string>();
const reports = new Map<string, string>();
const CONDITIONS = 'Not to be shared outside the force';
const CONFIRM = {
  confirmConditions: true,
  justification: 'Briefing for the tasking meeting',
  recipient: 'DI Smith, TCG',
};
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  app = await securedApp(ts.stores);
  const person = (label: string, r: string) => ({
    type: 'Person' as const,
    label,
    key: label.toLowerCase(),
    reports: [r],
  });
  const link = (a: string, b: string, from: string, to: string, r: string) => ({
    type: 'ASSOCIATE_OF' as const,
    from: { type: 'Person' as const, key: a },
    to: { type: 'Person' as const, key: b },
    firstSeen: from,
    lastSeen: to,
    reports: [r],
  });
  const w = await ts.stores.graph.writeBatch(
    {
      reports: [
        { ref: 'P/1', date: '2024-01-01', author: 'DC A', source: 1, intel: 'A', handling: 'P' },
        {
          ref: 'C/1',
          date: '2024-07-01',
          author: 'DC B',
          source: 2,
          intel: 'B',
          handling: 'C',
          conditions: CONDITIONS,
        },
      ],
      entities: [
        person('Amy', 'P/1'),
        person('Ben', 'P/1'),
        person('Cat', 'P/1'),
        person('Dan', 'P/1'),
        person('Hidden', 'C/1'),
      ],
      links: [
        link('amy', 'ben', '2024-02-01', '2024-03-01', 'P/1'),
        link('ben', 'cat', '2024-02-01', '2024-03-01', 'P/1'),
        link('cat', 'dan', '2024-08-01', '2024-09-01', 'P/1'),
        // Dan and Cat are P-coded people; what puts Dan beside Amy after July is C-coded.
        link('dan', 'amy', '2024-08-01', '2024-09-01', 'C/1'),
        // Outside both review windows.
        link('hidden', 'ben', '2025-03-01', '2025-04-01', 'P/1'),
      ],
    },
    { actor: 'seed' },
  );
  ['Amy', 'Ben', 'Cat', 'Dan', 'Hidden'].forEach((l, i) => ids.set(l, w.entityIds[i]));
  ['P/1', 'C/1'].forEach((r, i) => reports.set(r, w.reportIds[i]));
  analyst = await signIn(app, 'analyst');
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

const mark = (id: string, ref: string, handling: 'P' | 'C'): ReportMark => ({
  id,
  ref,
  handling,
  conditions: handling === 'C' ? CONDITIONS : null,
});

describe('judgeDisclosure / assessDisclosure', () => {
  it('finds C-coded intelligence behind any carried item and says so in its statement', () => {
    const items: CarriedItem[] = [
      { id: 'e1', reports: [mark('r1', 'P/1', 'P')] },
      { id: 'e2', reports: [mark('r2', 'C/1', 'C'), mark('r1', 'P/1', 'P')] },
    ];
    const d = judgeDisclosure({ entities: items, links: [], reports: [] }, 'briefing');
    expect(d).toMatchObject({
      entityIds: ['e1', 'e2'],
      reportIds: ['r1', 'r2'],
      conditions: [{ ref: 'C/1', conditions: CONDITIONS }],
      conditionalItems: 1,
      cCoded: true,
    });
    expect(d.statement).toMatch(
      /^This briefing rests in part on intelligence with handling code C \(1 report: C\/1\)/,
    );
    const open = judgeDisclosure({ entities: [items[0]], links: [], reports: [] }, 'briefing');
    expect(open).toMatchObject({ cCoded: false, conditions: [], conditionalItems: 0 });
    expect(open.statement).toBe('No intelligence behind this briefing carries handling code C.');
    // A report cited on its own counts as much as one behind an entity.
    expect(judgeDisclosure({ entities: [], links: [], reports: [mark('r2', 'C/1', 'C')] }).cCoded).toBe(true);
  });

  it('reads entities, links and reports by id, and drops ids the store does not know', async () => {
    const links = (await ts.stores.graph.listLinks({ limit: 100 })).items;
    const cLink = links.find((l) => l.from === ids.get('Dan') || l.to === ids.get('Dan'))!;
    const byLink = await assessDisclosure(ts.stores.graph, { links: links.map((l) => l.id) });
    expect(byLink.cCoded).toBe(true);
    expect(byLink.linkIds).toHaveLength(5);
    const byEntity = await assessDisclosure(ts.stores.graph, { entities: [ids.get('Amy')!, 'e-unknown'] });
    expect(byEntity).toMatchObject({ entityIds: [ids.get('Amy')], cCoded: false });
    expect((await assessDisclosure(ts.stores.graph, { reports: ['C/1'] })).conditions).toHaveLength(1);
    expect(cLink).toBeDefined();
  });

  it('past LINKCHART_AUDIT_EXPORT_IDS the record lists a digest in objectIds and keeps the lists in details', () => {
    const d = {
      format: 'json',
      source: { kind: 'chart', chartId: '7' },
      entityIds: ['e2', 'e1'].sort(),
      linkIds: ['l1'],
      reportIds: ['r1'],
      handlingC: [],
      confirmation: null,
    };
    const small = disclosureDetails(d, 10);
    expect(small.objectIds).toEqual(['7', 'e1', 'e2', 'l1', 'r1']);
    const big = disclosureDetails(d, 3);
    const digest = disclosureDigest(d);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(big.objectIds).toEqual(['7', digest]);
    expect(big.details).toMatchObject({
      entities: ['e1', 'e2'],
      links: ['l1'],
      reports: ['r1'],
      digest,
      idsInObjectIds: false,
      counts: { entities: 2, links: 1, reports: 1 },
    });
    // The digest is over the sorted list: the same things in another order give the same digest.
    expect(disclosureDigest({ entityIds: ['e2', 'e1'], linkIds: ['l1'], reportIds: ['r1'] })).toBe(digest);
  });
});

async function lastExport() {
  return (await ts.stores.security.listAudit({ action: 'export', limit: 10_000 })).items.at(-1)!;
}

const briefing = (extra: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: '/api/exports/briefing',
    headers: analyst.headers,
    payload: { title: 'T', author: 'A', marking: 'OFFICIAL', chartPng: PNG, ...extra },
  });

describe('every export route asks it', () => {
  it('a review-only briefing over C-coded intelligence: 428 with the conditions, then 200 confirmed', async () => {
    // Nobody the review prints is C-coded themselves: the C-coded link is what moved Dan.
    const review = { before: '2024-01-01..2024-06-30', after: '2024-07-01..2024-12-31' };
    const refused = await briefing({ review });
    expect(refused.statusCode, refused.body).toBe(428);
    expect(refused.json().error.details).toEqual([{ message: `C/1: ${CONDITIONS}` }]);
    const denied = await lastExport();
    expect(denied.outcome).toBe('denied');
    expect(denied.details?.disclosure).toMatchObject({ format: 'briefing-pdf', handlingC: ['C/1'] });
    const ok = await briefing({ review, handling: CONFIRM });
    expect(ok.statusCode, ok.body.slice(0, 200)).toBe(200);
    const rec = await lastExport();
    expect(rec).toMatchObject({
      outcome: 'ok',
      justification: CONFIRM.justification,
      recipient: CONFIRM.recipient,
    });
    expect(rec.details?.disclosure).toMatchObject({
      format: 'briefing-pdf',
      source: {
        kind: 'briefing',
        review: { before: '2024-01-01..2024-06-30', after: '2024-07-01..2024-12-31' },
      },
      reports: [reports.get('P/1'), reports.get('C/1')].sort(),
      confirmation: CONFIRM,
    });
    const carried = rec.details?.disclosure as { entities: string[]; links: string[] };
    expect(carried.entities).toEqual(
      expect.arrayContaining(['Amy', 'Ben', 'Cat', 'Dan'].map((l) => ids.get(l))),
    );
    expect(carried.links).toHaveLength(4);
  });

  it('a top-table row, by id or by its label alone, carries what it names', async () => {
    const row = { rank: 1, label: 'Hidden', type: 'Person', value: 1 };
    expect((await briefing({ topNodes: [row] })).statusCode).toBe(428);
    expect((await briefing({ topNodes: [{ ...row, label: 'x', id: ids.get('Hidden') }] })).statusCode).toBe(
      428,
    );
    expect((await briefing({ topNodes: [{ ...row, label: 'Amy' }] })).statusCode).toBe(200);
  });

  it('a data export names its format, source, ids and confirmation; past the limit, a digest', async () => {
    const body = { format: 'json', entityIds: [ids.get('Amy'), ids.get('Dan')] };
    const refused = await app.inject({
      method: 'POST',
      url: '/api/exports',
      headers: analyst.headers,
      payload: body,
    });
    expect(refused.statusCode).toBe(428);
    // Past LINKCHART_AUDIT_EXPORT_IDS (2 here) the lists are kept beside the record, which holds the digest.
    const { buildApp } = await import('../../server/app.ts');
    const env = { LINKCHART_DB: ts.dbPath, LINKCHART_AUDIT_EXPORT_IDS: '2' };
    const limited = await buildApp({
      stores: ts.stores,
      config: { ...loadConfig(env), webDist: '/nonexistent-linkchart-web' },
    });
    try {
      const who = await signIn(limited, 'analyst');
      const ok = await limited.inject({
        method: 'POST',
        url: '/api/exports',
        headers: who.headers,
        payload: { ...body, handling: CONFIRM },
      });
      expect(ok.statusCode, ok.body.slice(0, 200)).toBe(200);
    } finally {
      await limited.close();
    }
    const rec = await lastExport();
    const d = rec.details?.disclosure as Record<string, unknown>;
    expect(d).toMatchObject({
      format: 'json',
      source: { kind: 'entities' },
      idList: 'kept',
      counts: { entities: 2, links: 1 },
      handlingC: ['C/1'],
      idsInObjectIds: false,
      confirmation: CONFIRM,
    });
    expect(d.entities).toBeUndefined();
    expect(rec.objectIds).toContain(d.digest);
    expect(rec.objectIds).not.toContain(ids.get('Amy'));
    const kept = await readKeptIds(`${ts.dbPath}.audit-exports`, d.digest as string);
    expect(kept.entities).toEqual([ids.get('Amy'), ids.get('Dan')].sort());
    expect(kept.links).toHaveLength(1);
    // A GET download names its format too, and is refused without the confirmation in the query.
    const get = await app.inject({ url: '/api/exports?format=csv', headers: analyst.headers });
    expect(get.statusCode).toBe(428);
    expect((await lastExport()).details?.disclosure).toMatchObject({
      format: 'csv',
      source: { kind: 'view' },
    });
  });

  it('an export refused before it was gathered still names the format and what it asked for', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/exports',
      headers: analyst.headers,
      payload: { format: 'json', chartId: 'no-such-chart' },
    });
    expect(bad.statusCode).toBe(404);
    expect((await lastExport()).details?.disclosure).toMatchObject({
      format: 'json',
      source: { kind: 'chart', chartId: 'no-such-chart', asked: true },
    });
  });
});

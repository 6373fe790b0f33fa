// A large export's id lists are kept beside its audit record (server/security/audit-export-ids.ts): the
// chained record carries their digest and counts, the audit API gives the lists back (checked against the
// digest), and audit:verify finds a list that was altered or removed. Real SQLite file, real export worker.
import './fast-kdf.ts';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import { loadConfig } from '../../server/config.ts';
import { disclosureDigest } from '../../server/security/audit.ts';
import { keptFile } from '../../server/security/audit-export-ids.ts';
import { verifyStoreAudit } from '../../server/security/audit-verify.ts';
import { verifyCommand } from '../../server/cli/audit-verify.ts';
import { loadSeed } from '../../seed/load.ts';
import { createRoleUsers, signIn, tempStore, type SignedIn, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;
let analyst: SignedIn;
let supervisor: SignedIn;
let dir: string;
const LIMIT = 50;
const CONFIRM = { confirmConditions: true, justification: 'Tasking meeting', recipient: 'DI Smith' };

beforeAll(async () => {
  ts = await tempStore();
  await loadSeed(ts.stores, { truthFile: null });
  await createRoleUsers(ts.stores.security, ROLES);
  const config = {
    ...loadConfig({ LINKCHART_DB: ts.dbPath, LINKCHART_AUDIT_EXPORT_IDS: String(LIMIT) }),
    webDist: '/nonexistent-linkchart-web',
  };
  dir = config.auditExportIdsDir;
  expect(dir).toBe(`${ts.dbPath}.audit-exports`);
  const { buildApp } = await import('../../server/app.ts');
  app = await buildApp({ stores: ts.stores, config });
  await app.ready();
  analyst = await signIn(app, 'analyst');
  supervisor = await signIn(app, 'supervisor');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

async function lastExport() {
  return (await ts.stores.security.listAudit({ action: 'export', limit: 10_000 })).items.at(-1)!;
}

const exportView = () =>
  app.inject({
    method: 'POST',
    url: '/api/exports',
    headers: analyst.headers,
    payload: { format: 'csv', part: 'links', view: {}, handling: CONFIRM },
  });

const ids = (seq: number, q = '') =>
  app.inject({ url: `/api/audit/${seq}/ids${q}`, headers: supervisor.headers });

const run = async (env: NodeJS.ProcessEnv) => {
  const out: string[] = [];
  const code = await verifyCommand([], env, { out: (s) => out.push(s), err: (s) => out.push(s) });
  return { code, text: out.join('\n') };
};

describe('the id lists of a large export', () => {
  let seq = 0;
  let digest = '';
  let counts = { entities: 0, links: 0, reports: 0 };

  it('are kept beside the record, which carries their digest and counts only', async () => {
    const res = await exportView();
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const rec = await lastExport();
    expect(rec.outcome).toBe('ok');
    const d = rec.details?.disclosure as Record<string, unknown>;
    expect(d).toMatchObject({ format: 'csv', idList: 'kept', idsInObjectIds: false, confirmation: CONFIRM });
    expect(d.entities).toBeUndefined();
    expect(d.links).toBeUndefined();
    digest = d.digest as string;
    counts = d.counts as typeof counts;
    expect(counts.links).toBeGreaterThan(LIMIT);
    expect(rec.objectIds).toContain(digest);
    // The record is small: nothing like the lists themselves.
    expect(JSON.stringify(rec.details).length).toBeLessThan(2000);
    const file = keptFile(dir, digest)!;
    const text = readFileSync(file, 'utf8');
    expect(`sha256:${createHash('sha256').update(text).digest('hex')}`).toBe(digest);
    expect(text.split('\n')).toHaveLength(counts.entities + counts.links + counts.reports);
    seq = rec.seq;
  });

  it('come back through the audit API, a page at a time, matching the digest', async () => {
    const all = await ids(seq, '?limit=50000');
    expect(all.statusCode, all.body.slice(0, 300)).toBe(200);
    const body = all.json() as {
      kept: boolean;
      total: typeof counts;
      entities: string[];
      links: string[];
      reports: string[];
    };
    expect(body.kept).toBe(true);
    expect(body.total).toEqual(counts);
    expect(body.links).toHaveLength(counts.links);
    expect(disclosureDigest({ entityIds: body.entities, linkIds: body.links, reportIds: body.reports })).toBe(
      digest,
    );
    // The export itself lists those links: each CSV row's id is in the kept list.
    const page = (await ids(seq, '?offset=10&limit=5')).json() as { links: string[] };
    expect(page.links).toEqual(body.links.slice(10, 15));
    // Viewers and analysts cannot read the trail.
    expect((await app.inject({ url: `/api/audit/${seq}/ids`, headers: analyst.headers })).statusCode).toBe(
      403,
    );
  });

  it('a small export still lists its ids in the record itself', async () => {
    const small = (await ids(seq, '?limit=2')).json() as { entities: string[] };
    const res = await app.inject({
      method: 'POST',
      url: '/api/exports',
      headers: analyst.headers,
      payload: { format: 'json', entityIds: small.entities, handling: CONFIRM },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const rec = await lastExport();
    expect(rec.details?.disclosure).toMatchObject({ idList: 'inline', entities: [...small.entities].sort() });
    const back = (await ids(rec.seq)).json() as { kept: boolean; entities: string[] };
    expect(back).toMatchObject({ kept: false, entities: [...small.entities].sort() });
  });

  it('audit:verify passes, then finds a list that was altered or removed', async () => {
    expect((await verifyStoreAudit(ts.stores.security, { exportIdsDir: dir })).broken).toBeNull();
    const env = { LINKCHART_DB: ts.dbPath };
    expect((await run(env)).code).toBe(0);
    const file = keptFile(dir, digest)!;
    const original = readFileSync(file);
    appendFileSync(file, '\nentity:someone-added');
    const altered = await verifyStoreAudit(ts.stores.security, { exportIdsDir: dir });
    expect(altered.broken).toMatchObject({ seq, reason: expect.stringMatching(/was altered/) });
    const cli = await run(env);
    expect(cli.code).toBe(1);
    expect(cli.text).toMatch(
      new RegExp(`BROKEN at record ${seq}: the id list of export record ${seq} was altered`),
    );
    const refused = await ids(seq);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/does not match its digest/);
    rmSync(file);
    expect(existsSync(file)).toBe(false);
    const gone = await verifyStoreAudit(ts.stores.security, { exportIdsDir: dir });
    expect(gone.broken).toMatchObject({ seq, reason: expect.stringMatching(/is missing/) });
    // Put back as it was, the trail verifies again.
    appendFileSync(file, original);
    expect((await verifyStoreAudit(ts.stores.security, { exportIdsDir: dir })).broken).toBeNull();
  });
});

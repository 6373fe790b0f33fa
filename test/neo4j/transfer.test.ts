// npm run transfer between a real SQLite file and the real Neo4j server: everything copied with its ids,
// the audit chain still verifying, a merge still undoable on the other side, counts and content verified,
// a second run changing nothing, a target with other data refused, and the round trip back to SQLite exact;
// and operations: a closed operation sharing subjects with an open one reads the same through every scope on
// Neo4j as on the SQLite source, and again on SQLite after the way back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { transfer, TransferError, type Endpoint } from '../../server/cli/transfer.ts';
import { dumpSqlite } from '../../server/store/transfer/sqlite.ts';
import { dumpDigest } from '../../server/store/transfer/dump.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { proposal } from '../contract/cycle-contract.ts';
import { CDR_A, importCsv } from '../contract/events-contract.ts';
import { operationsRecord, scopedReads, writeOperations } from '../store/transfer-ops-fixture.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const ctx = { actor: 'ana', importId: 'imp-9' };
// The Cycle page's kind of target, on the entity the source's first writes make.
const target = proposal('e1');

describe.skipIf(!avail.ok)('transfer between SQLite and Neo4j', () => {
  let release: () => void = () => {};
  const dir = mkdtempSync(join(tmpdir(), 'lc-transfer-'));
  const src = join(dir, 'src.db');
  let neo: Endpoint;
  const quiet = { log: () => {} };
  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    await avail.server.wipe();
    neo = { kind: 'neo4j', uri: avail.server.uri, user: 'neo4j', password: avail.server.password };
    const s = await openSqliteStores(src);
    await s.graph.writeBatch(
      {
        reports: [
          { ref: 'R-1', date: '2024-01-02', author: 'DC Ames', source: 1, intel: 'A', handling: 'P' },
          {
            ref: 'R-2',
            date: '2024-01-03',
            author: 'DC Ames',
            source: 2,
            intel: 'C',
            handling: 'C',
            conditions: 'x',
          },
        ],
        entities: [
          { type: 'Person', label: 'Ann Lee', properties: { dob: '1990-02-03' }, reports: ['R-1'] },
          { type: 'Person', label: 'A. Lee', reports: ['R-2'] },
          { type: 'Phone', label: '07700 900777', reports: ['R-2'] },
          { type: 'Location', label: 'Dock 4', properties: { postcode: 'E1 6AN' } },
        ],
        links: [
          {
            type: 'USES',
            from: { type: 'Person', key: 'a. lee' },
            to: { type: 'Phone', key: '07700900777' },
            reports: ['R-2'],
          },
          {
            type: 'RESIDES_AT',
            from: { type: 'Person', key: 'ann lee|1990-02-03' },
            to: { type: 'Location', key: 'E1 6AN' },
            firstSeen: '2023-01-01',
            reports: ['R-1'],
          },
          {
            type: 'ASSOCIATE_OF',
            from: { type: 'Person', key: 'ann lee|1990-02-03' },
            to: { type: 'Person', key: 'a. lee' },
            weight: 3,
          },
        ],
      },
      ctx,
    );
    await s.graph.writeBatch(
      { entities: [{ type: 'Location', label: 'Dock 4', properties: { postcode: 'E1 6AN' } }] },
      { ...ctx, importId: 'imp-dock', importRun: () => ({ name: 'dock.csv', rowsRead: 1 }) },
    );
    await s.workspace.createAnnotation(
      { target: { kind: 'entity', id: 'e2' }, text: 'alias?', tags: ['dup'] },
      ctx,
    );
    await s.graph.merge('e1', 'e2', ctx);
    await s.workspace.saveChart({ name: 'Dock', state: { zoom: 2 } }, ctx);
    await s.security.createUser({ name: 'ana', role: 'analyst', passwordHash: 'scrypt$x' });
    // The tasking record and a user's unsaved chart travel too.
    const t = await s.cycle.saveTarget(target, ctx);
    await s.cycle.saveTarget({ ...target, id: t.id, status: 'approved' }, ctx);
    await s.cycle.appendTargetAction(t.id, { kind: 'warrant', date: '2024-07-06', outcome: 'Executed' }, ctx);
    await s.workspace.saveDraft({ name: 'Dock draft', state: { nodes: ['e1'] } }, ctx);
    for (let i = 0; i < 5; i++)
      await s.security.appendAudit({
        actor: 'ana',
        action: `step ${i}`,
        outcome: 'ok',
        objectIds: [`e${i}`],
        details: { i },
      });
    await s.close();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    rmSync(dir, { recursive: true, force: true });
    if (avail.ok) await avail.server.close();
  });

  it('copies SQLite into Neo4j exactly, and a second run changes nothing', async () => {
    const first = await transfer({ kind: 'sqlite', path: src }, neo, quiet);
    expect(first.status).toBe('copied');
    expect(first.counts).toMatchObject({
      entities: 3,
      links: 2,
      reports: 2,
      merges: 1,
      aliases: 1,
      annotations: 1,
      charts: 1,
      users: 1,
      audit: 5,
      importRuns: 1,
      targets: 1,
      targetActions: 1,
      drafts: 1,
    });
    const stores = new Neo4jStores({ ...(neo as Extract<Endpoint, { kind: 'neo4j' }>) });
    try {
      const dv = await stores.graph.dataVersion();
      expect(verifyAuditChain((await stores.security.listAudit({ limit: 100 })).items)).toBeNull();
      expect((await stores.graph.getEntity('e1'))?.aliases).toEqual(['a. lee']);
      expect((await stores.graph.findEntity('Person', 'a. lee'))?.id).toBe('e1');
      expect((await stores.security.getUserByName('ana'))?.passwordHash).toBe('scrypt$x');
      expect((await stores.imports.listImportRuns()).items.map((r) => [r.importId, r.report])).toEqual([
        ['imp-dock', { name: 'dock.csv', rowsRead: 1 }],
      ]);
      const copied = await stores.cycle.getTarget('t1');
      expect(copied?.actions.map((a) => [a.id, a.kind, a.actor])).toEqual([['ta1', 'warrant', 'ana']]);
      expect((await stores.workspace.draftOf('ana'))?.name).toBe('Dock draft');
      const second = await transfer({ kind: 'sqlite', path: src }, neo, quiet);
      expect(second.status).toBe('identical');
      expect(await stores.graph.dataVersion()).toBe(dv);
      // New writes continue the ids and the chain where SQLite left them.
      const w = await stores.graph.writeBatch({ entities: [{ type: 'Person', label: 'New Person' }] }, ctx);
      expect(w.entityIds).toEqual(['e5']);
      const a = await stores.security.appendAudit({ actor: 'ana', action: 'after', outcome: 'ok' });
      expect(a.seq).toBe(6);
      // And the target numbers after the copied ones.
      expect((await stores.cycle.saveTarget({ ...target, entityId: 'e5' }, ctx)).id).toBe('t2');
      expect(verifyAuditChain((await stores.security.listAudit({ limit: 100 })).items)).toBeNull();
    } finally {
      await stores.close();
    }
  });

  it('refuses a target holding other data unless --replace, then copies', async () => {
    const other = join(dir, 'other.db');
    const s = await openSqliteStores(other);
    await s.graph.writeBatch({ entities: [{ type: 'Person', label: 'Someone Else' }] }, ctx);
    await s.close();
    const err = await transfer(neo, { kind: 'sqlite', path: other }, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferError);
    expect((err as TransferError).message).toMatch(/holds other data.*--replace/);
    const r = await transfer(neo, { kind: 'sqlite', path: other }, { ...quiet, replace: true });
    expect(r.status).toBe('copied');
  });

  it('copies Neo4j back into SQLite: the merge can be undone there, the chain holds', async () => {
    // Neo4j now has one more entity and audit record than the source file (added above).
    const back = join(dir, 'back.db');
    await transfer(neo, { kind: 'sqlite', path: back }, quiet);
    const s = await openSqliteStores(back);
    try {
      expect((await s.counts()).entities).toBe(4);
      // Searchable in the copy: the full-text index was filled too.
      expect((await s.graph.search('Ann Lee')).map((h) => h.entity.id)).toEqual(['e1']);
      expect(verifyAuditChain((await s.security.listAudit({ limit: 100 })).items)).toBeNull();
      await s.graph.unmerge('1', ctx);
      expect((await s.graph.getEntity('e2'))?.label).toBe('A. Lee');
      // Back in the operation it was in before the merge, through Neo4j's copy of the merge's snapshot.
      expect((await s.graph.scoped({ operations: ['op1'] }).getEntity('e2'))?.label).toBe('A. Lee');
      expect((await s.graph.listLinks({ entityId: 'e2' })).items.map((l) => l.type).sort()).toEqual([
        'ASSOCIATE_OF',
        'USES',
      ]);
      expect((await s.workspace.listAnnotations({ kind: 'entity', id: 'e2' })).total).toBe(1);
    } finally {
      await s.close();
    }
  });

  it(
    'round-trips SQLite -> Neo4j -> SQLite to the same content, through the npm command',
    { timeout: 240_000 },
    async () => {
      const env = {
        ...process.env,
        NEO4J_URI: avail.ok ? avail.server.uri : '',
        NEO4J_PASSWORD: avail.ok ? avail.server.password : '',
      };
      const run = (args: string[]) =>
        execFileSync('npx', ['tsx', 'server/cli/transfer.ts', ...args], {
          env,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      // Neo4j holds an audit trail by now, so emptying it takes --replace twice.
      const refused = (() => {
        try {
          run(['--from', `sqlite:${src}`, '--to', 'neo4j', '--replace']);
          return 'copied';
        } catch (e) {
          return String((e as { stderr?: string }).stderr);
        }
      })();
      expect(refused).toMatch(/audit trail of \d+ records.*--replace twice/);
      const out = run(['--from', `sqlite:${src}`, '--to', 'neo4j', '--replace', '--replace']);
      expect(out).toMatch(/verified/);
      const again = join(dir, 'again.db');
      run(['--from', 'neo4j', '--to', `sqlite:${again}`]);
      const a = await openSqliteStores(src);
      const b = await openSqliteStores(again);
      try {
        expect(dumpDigest(dumpSqlite(b))).toBe(dumpDigest(dumpSqlite(a)));
        expect(await b.graph.dataVersion()).toBe(await a.graph.dataVersion());
      } finally {
        await a.close();
        await b.close();
      }
    },
  );

  it('carries the calls behind links and the duplicate queue to Neo4j and back', async () => {
    const calls = join(dir, 'calls.db');
    const s = await openSqliteStores(calls);
    // Calls kept behind their CALLED links, and a rejected pair in the duplicate queue.
    await importCsv(s.graph, CDR_A, { format: 'cdr', report: 'CDR-A', grading: '2B', handling: 'P' });
    const phones = (await s.graph.listEntities({ type: 'Phone' })).items.map((e) => e.id);
    await s.duplicates.saveProposals(
      [
        {
          aId: phones[0],
          bId: phones[1],
          type: 'Phone',
          weight: 11.5,
          probability: 0.97,
          evidence: ['same handset'],
          fingerprint: 'f1',
        },
      ],
      ctx,
    );
    await s.duplicates.reject((await s.duplicates.listProposals()).items[0].id, ctx);
    await s.close();
    const there = await transfer({ kind: 'sqlite', path: calls }, neo, {
      ...quiet,
      replace: true,
      replaceAudit: true,
    });
    expect(there.counts).toMatchObject({ events: 6, duplicateProposals: 1, duplicateDecisions: 1 });
    const back = join(dir, 'calls-back.db');
    await transfer(neo, { kind: 'sqlite', path: back }, quiet);
    const a = await openSqliteStores(calls);
    const b = await openSqliteStores(back);
    const stores = new Neo4jStores({ ...(neo as Extract<Endpoint, { kind: 'neo4j' }>) });
    try {
      expect(dumpDigest(dumpSqlite(b))).toBe(dumpDigest(dumpSqlite(a)));
      // Neo4j answers as SQLite did: the same calls, the same pair and its log.
      const q = { limit: 100 };
      expect(await stores.graph.listEvents(q)).toEqual(await a.graph.listEvents(q));
      const [pair] = (await a.duplicates.listProposals({ state: 'rejected' })).items;
      expect(await stores.duplicates.getProposal(pair.id)).toEqual(pair);
      expect(await stores.duplicates.listDecisions(pair.id)).toEqual(
        await a.duplicates.listDecisions(pair.id),
      );
      // A call imported again on Neo4j is found by its identity, not doubled.
      await importCsv(stores.graph, CDR_A, { format: 'cdr', report: 'CDR-A', grading: '2B', handling: 'P' });
      expect((await stores.graph.listEvents(q)).events).toHaveLength(6);
    } finally {
      await a.close();
      await b.close();
      await stores.close();
    }
  });

  it('carries operations: every scope reads Neo4j as it read SQLite, and SQLite again after the way back', async () => {
    const ops = join(dir, 'ops.db');
    const s = await openSqliteStores(ops);
    const w = await writeOperations(s);
    const outsider = { operations: await s.operations.readableBy('demo') };
    const member = { operations: await s.operations.readableBy('ana') };
    expect(outsider.operations).not.toContain(w.halyard);
    const before = {
      outsider: await scopedReads(s, w, outsider),
      member: await scopedReads(s, w, member),
      all: await scopedReads(s, w, 'all'),
      record: await operationsRecord(s),
    };
    await s.close();
    expect(before.outsider.shared[0].properties).toEqual({ network: 'EE' });
    expect(before.outsider.own).toEqual([]);
    const there = await transfer({ kind: 'sqlite', path: ops }, neo, {
      ...quiet,
      replace: true,
      replaceAudit: true,
    });
    expect(there.counts).toMatchObject({
      operations: 3,
      operationMembers: 3,
      deconflictionNotices: 3,
      deconflictionEvents: 5,
    });
    const stores = new Neo4jStores({ ...(neo as Extract<Endpoint, { kind: 'neo4j' }>) });
    try {
      expect(await scopedReads(stores, w, outsider)).toEqual(before.outsider);
      expect(await scopedReads(stores, w, member)).toEqual(before.member);
      expect(await scopedReads(stores, w, 'all')).toEqual(before.all);
      expect(await operationsRecord(stores)).toEqual(before.record);
      expect((await stores.workspace.draftOf('dsmith', w.halyard))?.id).toBe(w.draftId);
    } finally {
      await stores.close();
    }
    const back = join(dir, 'ops-back.db');
    await transfer(neo, { kind: 'sqlite', path: back }, quiet);
    const a = await openSqliteStores(ops);
    const b = await openSqliteStores(back);
    try {
      expect(dumpDigest(dumpSqlite(b))).toBe(dumpDigest(dumpSqlite(a)));
      expect(await scopedReads(b, w, outsider)).toEqual(before.outsider);
      expect(await scopedReads(b, w, member)).toEqual(before.member);
      expect(await operationsRecord(b)).toEqual(before.record);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('carries operations written on Neo4j itself to SQLite: every scope reads the copy as it read Neo4j', async () => {
    if (!avail.ok) return;
    const n = await avail.server.freshStore();
    let w: Awaited<ReturnType<typeof writeOperations>>;
    let before: Record<string, unknown>;
    let outsider: { operations: string[] };
    let member: { operations: string[] };
    try {
      w = await writeOperations(n);
      outsider = { operations: await n.operations.readableBy('demo') };
      member = { operations: await n.operations.readableBy('ana') };
      before = {
        outsider: await scopedReads(n, w, outsider),
        member: await scopedReads(n, w, member),
        all: await scopedReads(n, w, 'all'),
        record: await operationsRecord(n),
      };
    } finally {
      await n.close();
    }
    const copy = join(dir, 'from-neo-ops.db');
    const r = await transfer(neo, { kind: 'sqlite', path: copy }, quiet);
    expect(r.counts).toMatchObject({ operations: 3, operationMembers: 3, deconflictionNotices: 3 });
    const b = await openSqliteStores(copy);
    try {
      expect({
        outsider: await scopedReads(b, w, outsider),
        member: await scopedReads(b, w, member),
        all: await scopedReads(b, w, 'all'),
        record: await operationsRecord(b),
      }).toEqual(before);
      expect((before.outsider as { own: unknown[] }).own).toEqual([]);
      // The copy numbers new notices after the copied ones, and their logs go on from where they were.
      const [first] = (await b.deconfliction.list({ limit: 1 })).items;
      await b.deconfliction.decide(
        first.id,
        { state: 'resolved' },
        { actor: 'dsmith', operationId: w.halyard },
      );
      expect((await b.deconfliction.events(first.id)).map((e) => e.action)).toContain('created');
    } finally {
      await b.close();
    }
  });
});

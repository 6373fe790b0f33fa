// npm run transfer carries operations (issue 17) between two SQLite files: a source where closed HALYARD shares
// phones and a car with open KESTREL. After the copy a reader without HALYARD meets exactly what they met on
// the source (entities, links, their properties, reports, calls, search, workspace), a member of HALYARD too,
// and the operations, memberships and deconfliction notices with their logs arrived; the copy goes on
// numbering operations and notices after the copied ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { transfer } from '../../server/cli/transfer.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { dumpDigest } from '../../server/store/transfer/dump.ts';
import { dumpSqlite, loadSqlite } from '../../server/store/transfer/sqlite.ts';
import { operationsRecord, scopedReads, writeOperations } from './transfer-ops-fixture.ts';
import { proposal } from '../contract/cycle-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'lc-transfer-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { log: () => {}, auditKey: null };

describe('npm run transfer carries operations between SQLite files', () => {
  it('a scope without the closed operation reads the copy exactly as it read the source', async () => {
    const src = join(dir, 'src.db');
    const dst = join(dir, 'dst.db');
    const a = await openSqliteStores(src);
    const w = await writeOperations(a);
    const outsider = { operations: await a.operations.readableBy('demo') };
    const member = { operations: await a.operations.readableBy('ana') };
    expect(outsider.operations).not.toContain(w.halyard);
    expect(member.operations).toContain(w.halyard);
    const before = {
      outsider: await scopedReads(a, w, outsider),
      member: await scopedReads(a, w, member),
      all: await scopedReads(a, w, 'all'),
      record: await operationsRecord(a),
    };
    await a.close();
    // The source is what the test says it is: the outsider sees KESTREL's properties only.
    const phone = before.outsider.shared[0];
    expect(phone.properties).toEqual({ network: 'EE' });
    expect(before.member.shared[0].properties).toMatchObject({ imei: 'imeisecret77' });
    expect(before.outsider.own).toEqual([]);
    expect(before.outsider.calls.events).toHaveLength(2);
    expect(before.member.calls.events).toHaveLength(5);
    expect(before.record.notices.length).toBe(3);
    expect(before.outsider.draft).toBeNull();
    // Each import run keeps its operation: the outsider reads KESTREL's run only.
    expect(before.outsider.importRuns.map((x) => [x.importId, x.operationId])).toEqual([
      ['imp-kestrel', w.kestrel],
    ]);
    expect(before.member.importRuns.map((x) => x.importId)).toEqual(['imp-halyard', 'imp-kestrel']);

    const r = await transfer({ kind: 'sqlite', path: src }, { kind: 'sqlite', path: dst }, quiet);
    expect(r.status).toBe('copied');
    expect(r.counts).toMatchObject({
      operations: 3,
      deconflictionNotices: 3,
      // Each owner, and ana added to HALYARD.
      operationMembers: 3,
      // Three notices made, one taken up (contacted) and one disclosed.
      deconflictionEvents: 5,
    });
    const b = await openSqliteStores(dst);
    try {
      expect(await scopedReads(b, w, outsider)).toEqual(before.outsider);
      expect(await scopedReads(b, w, member)).toEqual(before.member);
      expect(await scopedReads(b, w, 'all')).toEqual(before.all);
      expect(await operationsRecord(b)).toEqual(before.record);
      expect((await b.workspace.draftOf('dsmith', w.halyard))?.id).toBe(w.draftId);
      expect((await b.workspace.draftOf('demo', w.kestrel))?.name).toBe('Halyard working');
      const a2 = await openSqliteStores(src);
      expect(dumpDigest(dumpSqlite(b))).toBe(dumpDigest(dumpSqlite(a2)));
      await a2.close();
      // New operations and notices are numbered after the copied ones.
      const c = await b.operations.create(
        { ref: 'OSPREY', name: 'Third', sensitivity: 'open' },
        { actor: 'demo' },
      );
      expect(before.record.ops.map((o) => o.id)).not.toContain(c.id);
      await b.graph.writeBatch(
        { entities: [{ type: 'Vehicle', label: 'AB12 CDE' }] },
        { actor: 'demo', operationId: c.id },
      );
      const notices = (await b.deconfliction.list({ limit: 100 })).items;
      expect(notices.length).toBe(5);
      expect(new Set(notices.map((n) => n.id)).size).toBe(5);
    } finally {
      await b.close();
    }
  });

  it('keeps the order an entity joined its operations, which decides whose value a scope reads', async () => {
    const src = join(dir, 'order-src.db');
    const a = await openSqliteStores(src);
    const w = await writeOperations(a);
    const d = dumpSqlite(a);
    await a.close();
    const both = { operations: [w.kestrel, w.halyard] };
    // As Neo4j may hold it: the phone joined HALYARD (the higher number) first, then KESTREL, then GENERAL
    // (which the scope leaves out, so the scope reads the phone as its two operations' copies merged).
    const phone = d.entities.find((e) => e.id === w.shared[0])!;
    expect(phone.ops).toEqual([w.kestrel, w.halyard]);
    const general = d.operations.find((o) => o.ref === 'GENERAL')!.id;
    phone.ops = [w.halyard, w.kestrel, general];
    const b = await openSqliteStores(join(dir, 'order-dst.db'));
    try {
      loadSqlite(b, d);
      expect(dumpSqlite(b).entities.find((e) => e.id === w.shared[0])?.ops).toEqual(phone.ops);
      expect(dumpDigest(dumpSqlite(b))).toBe(dumpDigest(d));
      // KESTREL, joined last, has the last word on the network both wrote.
      const [read] = await b.graph.scoped(both).getEntities([w.shared[0]]);
      expect(read.properties).toMatchObject({ network: 'EE', imei: 'imeisecret77' });
    } finally {
      await b.close();
    }
  });
});

describe('npm run transfer carries what was done in each operation', () => {
  it('audit records keep their operations (the chain still holds) and targets their operation', async () => {
    const src = join(dir, 'src-audit.db');
    const dst = join(dir, 'dst-audit.db');
    const a = await openSqliteStores(src);
    const w = await writeOperations(a);
    await a.security.appendAudit({
      actor: 'dsmith',
      action: 'graph.read',
      outcome: 'ok',
      operations: [w.halyard],
    });
    await a.security.appendAudit({ actor: 'demo', action: 'auth.login', outcome: 'ok' });
    const target = await a.cycle.saveTarget(proposal(w.shared[0]), {
      actor: 'dsmith',
      operationId: w.halyard,
    });
    const auditBefore = (await a.security.listAudit({ limit: 1000 })).items;
    await a.close();
    const r = await transfer({ kind: 'sqlite', path: src }, { kind: 'sqlite', path: dst }, quiet);
    expect(r.status).toBe('copied');
    const b = await openSqliteStores(dst);
    try {
      const auditAfter = (await b.security.listAudit({ limit: 1000 })).items;
      expect(auditAfter).toEqual(auditBefore);
      expect(auditAfter.find((x) => x.action === 'graph.read')!.operations).toEqual([w.halyard]);
      expect(auditAfter.find((x) => x.action === 'auth.login')!).not.toHaveProperty('operations');
      // The target is HALYARD's: absent to a reader outside it, there for a member.
      const outside = b.cycle.scoped({ operations: await b.operations.readableBy('demo') });
      expect(await outside.getTarget(target.id)).toBeNull();
      expect((await b.cycle.getTarget(target.id))?.id).toBe(target.id);
    } finally {
      await b.close();
    }
  });
});

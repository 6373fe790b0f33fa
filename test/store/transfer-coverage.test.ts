// npm run transfer carries every kind of record the store keeps, and its counts and digest cover every kind:
// a new table that the transfer does not account for fails here, as does a kind the digest ignores. Also the
// tasking record (targets and their action logs), users' drafts, calls and the duplicate queue, copied with their ids between two SQLite
// files (operations, their members and deconfliction notices: transfer-ops.test.ts), and --replace refusing to destroy a target's own audit trail unless given twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { transfer, TransferError } from '../../server/cli/transfer.ts';
import { CDR_A, importCsv } from '../contract/events-contract.ts';
import { proposal } from '../contract/cycle-contract.ts';
import { defaultExportIdsDir, keepIdList, readKeptText } from '../../server/security/audit-export-ids.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { DUMP_PARTS, dumpCounts, dumpDigest, type Dump } from '../../server/store/transfer/dump.ts';
import {
  dumpSqlite,
  SQLITE_TABLES_CARRIED,
  SQLITE_TABLES_DERIVED,
} from '../../server/store/transfer/sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'lc-transfer-cover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { log: () => {}, auditKey: null };
const ctx = { actor: 'ana' };

/** A source file holding one of every kind a transfer carries. */
async function fullSource(path: string): Promise<{ targetId: string; draftId: string }> {
  const s = await openSqliteStores(path);
  try {
    await s.graph.writeBatch(
      {
        reports: [
          { ref: 'R-1', date: '2024-01-02', author: 'DC Ames', source: 1, intel: 'A', handling: 'P' },
        ],
        entities: [
          { type: 'Person', label: 'Dean Cole', reports: ['R-1'] },
          { type: 'Person', label: 'D. Cole' },
          { type: 'Phone', label: '07700 900123', reports: ['R-1'] },
        ],
        links: [
          {
            type: 'USES',
            from: { type: 'Person', key: 'dean cole' },
            to: { type: 'Phone', key: '07700900123' },
            reports: ['R-1'],
          },
        ],
      },
      { ...ctx, importId: 'imp-1', importRun: () => ({ name: 'cole.csv', rowsRead: 3 }) },
    );
    const dean = (await s.graph.search('Dean Cole'))[0].entity;
    const alias = (await s.graph.search('D. Cole')).find((h) => h.entity.id !== dean.id)!.entity;
    await s.workspace.createAnnotation({ target: { kind: 'entity', id: dean.id }, text: 'broker' }, ctx);
    await s.graph.merge(dean.id, alias.id, ctx);
    await s.workspace.saveChart({ name: 'Cole', state: { zoom: 2 } }, ctx);
    await s.security.createUser({ name: 'ana', role: 'analyst', passwordHash: 'scrypt$x' });
    const t = await s.cycle.saveTarget(proposal(dean.id), ctx);
    await s.cycle.saveTarget({ ...proposal(dean.id), id: t.id, status: 'approved' }, ctx);
    await s.cycle.appendTargetAction(t.id, { kind: 'warrant', date: '2024-07-06', outcome: 'Executed' }, ctx);
    const d = await s.workspace.saveDraft({ name: 'Op Sandstone', state: { nodes: [dean.id] } }, ctx);
    await s.security.appendAudit({ actor: 'ana', action: 'target.action', outcome: 'ok' });
    // Calls behind CALLED links, and the duplicate queue with a decision in its log.
    await importCsv(s.graph, CDR_A, { format: 'cdr', report: 'CDR-A', grading: '2B', handling: 'P' });
    const phones = await s.graph.listEntities({ type: 'Phone' });
    const [p1, p2] = phones.items.map((e) => e.id);
    await s.duplicates.saveProposals(
      [
        {
          aId: p1,
          bId: p2,
          type: 'Phone',
          weight: 11.5,
          probability: 0.97,
          evidence: ['same handset'],
          fingerprint: 'f1',
        },
      ],
      ctx,
    );
    const [pair] = (await s.duplicates.listProposals()).items;
    await s.duplicates.defer(pair.id, ctx);
    await s.duplicates.reject(pair.id, ctx);
    // A closed operation holding one of the same phones: its owner is its member, and a notice is made.
    const op = await s.operations.create({ ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' }, ctx);
    await s.graph.writeBatch(
      { entities: [{ type: 'Phone', label: '07700 900123', properties: { imei: '3579' } }] },
      { ...ctx, operationId: op.id },
    );
    return { targetId: t.id, draftId: d.id };
  } finally {
    await s.close();
  }
}

describe('what npm run transfer carries', () => {
  it('accounts for every table of the SQLite store', async () => {
    const path = join(dir, 'tables.db');
    const s = await openSqliteStores(path);
    const tables = (
      s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    await s.close();
    const unaccounted = tables.filter((t) => !(t in SQLITE_TABLES_CARRIED) && !(t in SQLITE_TABLES_DERIVED));
    expect(unaccounted, 'tables the transfer neither carries nor derives').toEqual([]);
    // Every dump part is fed by a table that exists.
    const carried = new Set(Object.values(SQLITE_TABLES_CARRIED).map((v) => v.split(' ')[0]));
    for (const part of DUMP_PARTS) expect(carried.has(part), part).toBe(true);
    for (const t of Object.keys(SQLITE_TABLES_CARRIED)) expect(tables, t).toContain(t);
  });

  it('digests every kind: changing one record of any kind changes the digest', async () => {
    const path = join(dir, 'digest.db');
    await fullSource(path);
    const s = await openSqliteStores(path);
    const d = dumpSqlite(s);
    await s.close();
    const digest = dumpDigest(d);
    for (const part of DUMP_PARTS) {
      expect(d[part].length, `the source holds no ${part}`).toBeGreaterThan(0);
      const changed = structuredClone(d) as Dump;
      const first = changed[part][0] as unknown as Record<string, unknown>;
      const field = Object.keys(first).find((k) => typeof first[k] === 'string' && k !== 'id')!;
      first[field] = `${first[field] as string}!`;
      expect(dumpDigest(changed), `a changed ${part} record`).not.toBe(digest);
    }
  });

  it('copies targets, their action logs and drafts with their ids, and numbering carries on after them', async () => {
    const src = join(dir, 'src.db');
    const dst = join(dir, 'dst.db');
    const { targetId, draftId } = await fullSource(src);
    // A large export's id list, kept beside the source's audit trail.
    const kept = keepIdList(defaultExportIdsDir(src), {
      entityIds: ['e1', 'e2'],
      linkIds: ['l1'],
      reportIds: [],
    });
    const r = await transfer({ kind: 'sqlite', path: src }, { kind: 'sqlite', path: dst }, quiet);
    expect(await readKeptText(defaultExportIdsDir(dst), kept.digest)).toBe(
      await readKeptText(defaultExportIdsDir(src), kept.digest),
    );
    expect(r.status).toBe('copied');
    expect(r.counts).toMatchObject({
      targets: 1,
      targetActions: 1,
      drafts: 1,
      events: 6,
      duplicateProposals: 1,
      duplicateDecisions: 2,
    });
    const a = await openSqliteStores(src);
    const b = await openSqliteStores(dst);
    try {
      expect(dumpDigest(dumpSqlite(b))).toBe(dumpDigest(dumpSqlite(a)));
      expect(dumpCounts(dumpSqlite(b))).toEqual(dumpCounts(dumpSqlite(a)));
      expect(await b.cycle.getTarget(targetId)).toEqual(await a.cycle.getTarget(targetId));
      expect(await b.workspace.getDraft(draftId)).toEqual(await a.workspace.getDraft(draftId));
      expect((await b.workspace.draftOf('ana'))?.id).toBe(draftId);
      const calls = { limit: 100 };
      expect(await b.graph.listEvents(calls)).toEqual(await a.graph.listEvents(calls));
      const [pair] = (await a.duplicates.listProposals({ state: 'rejected' })).items;
      expect(await b.duplicates.getProposal(pair.id)).toEqual(pair);
      expect(await b.duplicates.listDecisions(pair.id)).toEqual(await a.duplicates.listDecisions(pair.id));
      // The copy goes on numbering after the copied records, not over them.
      const next = await b.cycle.saveTarget(proposal('e1'), ctx);
      expect(next.id).not.toBe(targetId);
      const acted = await b.cycle.appendTargetAction(
        targetId,
        { kind: 'arrest', date: '2024-07-09', outcome: 'Charged' },
        ctx,
      );
      expect(new Set(acted.actions.map((x) => x.id)).size).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('will not destroy a target audit trail on one --replace, only on two', async () => {
    const src = join(dir, 'src2.db');
    const dst = join(dir, 'dst2.db');
    await fullSource(src);
    const t = await openSqliteStores(dst);
    await t.graph.writeBatch({ entities: [{ type: 'Person', label: 'Someone Else' }] }, ctx);
    await t.security.appendAudit({ actor: 'bob', action: 'entity.create', outcome: 'ok' });
    await t.close();
    const from = { kind: 'sqlite' as const, path: src };
    const to = { kind: 'sqlite' as const, path: dst };
    const once = await transfer(from, to, { ...quiet, replace: true }).catch((e: unknown) => e);
    expect(once).toBeInstanceOf(TransferError);
    expect((once as TransferError).message).toMatch(/audit trail of 1 records.*--replace twice/);
    // Nothing was emptied by the refusal.
    const still = await openSqliteStores(dst);
    expect((await still.security.listAudit({ limit: 10 })).items.map((x) => x.actor)).toEqual(['bob']);
    await still.close();
    const twice = await transfer(from, to, { ...quiet, replace: true, replaceAudit: true });
    expect(twice.status).toBe('copied');
  });
});

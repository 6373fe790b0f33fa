// Group commit of audit records on a real SQLite store: concurrent records share transactions, each caller
// gets its own stored record, the chain holds, and a failure withholds only what it must.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';
import type { SecurityStore } from '../../server/store/security-store.ts';
import { AuditWriter } from '../../server/security/audit-writer.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import type { AuditInput } from '../../server/domain/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-audit-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stores: SqliteStores;
let store: SecurityStore;
let n = 0;
/** Sizes of the groups the writer handed to the store. */
let groups: number[];

beforeEach(async () => {
  stores = await openSqliteStores(join(dir, `a-${++n}.db`));
  store = stores.security;
  groups = [];
  const batch = store.appendAuditBatch.bind(store);
  store.appendAuditBatch = (inputs) => {
    groups.push(inputs.length);
    return batch(inputs);
  };
});
afterEach(async () => stores.close());

const rec = (i: number): AuditInput => ({
  actor: `user${i}`,
  action: 'expand',
  objectIds: [`e${i}`],
  outcome: 'ok',
  details: { i },
});

describe('AuditWriter', () => {
  it('writes records appended in the same turn in one transaction, in order, each caller getting its own', async () => {
    const w = new AuditWriter(store);
    const events = await Promise.all(Array.from({ length: 300 }, (_, i) => w.append(rec(i))));
    expect(groups).toEqual([300]);
    expect(events.map((e) => e.actor)).toEqual(Array.from({ length: 300 }, (_, i) => `user${i}`));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const stored = await store.listAudit({ limit: 1000 });
    expect(stored.items).toEqual(events);
    expect(verifyAuditChain(stored.items)).toBeNull();
  });

  it('caps a group at maxBatch and keeps going until the queue is empty', async () => {
    const w = new AuditWriter(store, { maxBatch: 64 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => w.append(rec(i))));
    expect(groups).toEqual([64, 64, 64, 8]);
    expect((await store.listAudit({ limit: 1000 })).total).toBe(200);
  });

  it('records appended in later turns go in later groups, after the earlier ones in the chain', async () => {
    const w = new AuditWriter(store);
    const a = await Promise.all([w.append(rec(1)), w.append(rec(2))]);
    const b = await w.append(rec(3));
    expect(groups).toEqual([2, 1]);
    expect(b.prevHash).toBe(a[1].hash);
  });

  it('a record the store refuses withholds only its own result; its neighbours are written', async () => {
    const w = new AuditWriter(store);
    const results = await Promise.allSettled([
      w.append(rec(1)),
      w.append({ actor: '', action: 'read', outcome: 'ok' }),
      w.append(rec(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await store.listAudit({ limit: 10 });
    expect(stored.items.map((e) => e.actor)).toEqual(['user1', 'user3']);
    expect(verifyAuditChain(stored.items)).toBeNull();
  });

  it('when the store cannot write, every waiting caller is refused, and the writer recovers after', async () => {
    const w = new AuditWriter(store);
    const real = store.appendAuditBatch;
    store.appendAuditBatch = async () => {
      throw new Error('disk I/O error');
    };
    const failed = await Promise.allSettled([w.append(rec(1)), w.append(rec(2))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await store.listAudit()).total).toBe(0);
    store.appendAuditBatch = real;
    expect((await w.append(rec(3))).seq).toBe(1);
  });

  it('refuses a nonsensical group size', () => {
    expect(() => new AuditWriter(store, { maxBatch: 0 })).toThrow(/AuditWriter: maxBatch/);
  });
});

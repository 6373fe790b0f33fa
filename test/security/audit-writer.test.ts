// Group commit of audit records on a real SQLite store: concurrent records share transactions, each caller
// gets its own stored record, the chain holds, and a failure withholds only what it must.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';
import type { SecurityStore } from '../../server/store/security-store.ts';
import type { StoreError } from '../../server/store/common.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
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

  it('a store that cannot be reached refuses the whole group at once, without retrying record by record', async () => {
    // A real Neo4j store at an address where nothing listens: the first write finds it down (outage.ts).
    const free = createServer();
    await new Promise<void>((res) => free.listen(0, '127.0.0.1', () => res()));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((res) => free.close(() => res()));
    const down = new Neo4jStores({ uri: `bolt://127.0.0.1:${port}`, password: 'x', log: () => {} });
    try {
      let singles = 0;
      const single = down.security.appendAudit.bind(down.security);
      down.security.appendAudit = (input) => {
        singles++;
        return single(input);
      };
      const w = new AuditWriter(down.security);
      const t0 = performance.now();
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => w.append(rec(i))));
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      const reason = (results[0] as PromiseRejectedResult).reason as StoreError;
      expect(reason.code).toBe('unavailable');
      expect(singles).toBe(0);
    } finally {
      await down.close();
    }
  });

  it('refuses a nonsensical group size', () => {
    expect(() => new AuditWriter(store, { maxBatch: 0 })).toThrow(/AuditWriter: maxBatch/);
  });
});

// The server's WAL checkpoints run in a worker thread: with SQLite's automatic checkpoint off, the WAL
// would grow without bound under a stream of audit commits; with the worker it stays small. If the worker
// dies, the automatic checkpoint comes back.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const walBytes = (s: SqliteStores): number => statSync(`${s.path}-wal`).size;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 30 rounds of 100 one-record audit commits with a pause between; the largest WAL size seen. */
async function auditStream(s: SqliteStores): Promise<number> {
  let most = 0;
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 100; i++)
      await s.security.appendAudit({
        actor: 'ana',
        action: 'read',
        objectIds: [`e${i}`],
        outcome: 'ok',
        details: { round },
      });
    most = Math.max(most, walBytes(s));
    await sleep(25);
  }
  return most;
}

describe('background checkpointer', () => {
  it('keeps the WAL small with the automatic checkpoint off, and the chain whole', async () => {
    const control = await openSqliteStores(join(dir, 'control.db'));
    control.db.pragma('wal_autocheckpoint = 0');
    const unbounded = await auditStream(control);
    await control.close();

    const s = await openSqliteStores(join(dir, 'server.db'));
    await s.checkpointInBackground({ intervalMs: 20 });
    expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const bounded = await auditStream(s);
    // 3,000 commits of a few pages each: tens of MB of WAL unless something checkpoints it.
    expect(unbounded).toBeGreaterThan(10_000_000);
    expect(bounded).toBeLessThan(unbounded / 4);
    expect((await s.security.listAudit({ limit: 1 })).total).toBe(3000);
    await s.close();
    const again = await openSqliteStores(join(dir, 'server.db'));
    expect((await again.security.listAudit({ limit: 1 })).total).toBe(3000);
    await again.close();
  }, 60_000);

  it('hands checkpoints back to SQLite when stopped or when the worker dies', async () => {
    const s = await openSqliteStores(join(dir, 'dies.db'));
    await s.checkpointInBackground({ intervalMs: 20 });
    expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // Kill the worker from outside, as a crash would.
    const worker = (s as unknown as { checkpointer: { worker: { terminate(): Promise<number> } } })
      .checkpointer.worker;
    await worker.terminate();
    await sleep(50);
    expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await s.close();

    const t = await openSqliteStores(join(dir, 'stops.db'));
    await t.checkpointInBackground();
    await t.close();
    expect(t.db.open).toBe(false);
  });

  it('refuses a silly interval', async () => {
    const s = await openSqliteStores(join(dir, 'silly.db'));
    await expect(s.checkpointInBackground({ intervalMs: 1 })).rejects.toThrow(
      /BackgroundCheckpointer: intervalMs/,
    );
    await s.close();
  });
});

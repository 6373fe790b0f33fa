// The read pool when a worker goes wrong: its calls fail with a reason, and the store walks on its own
// thread from then on, with the same answers. A worker that cannot open the file stops the pool starting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { SqliteReadPool } from '../../server/store/sqlite/read-pool.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-read-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dying = new URL('./fixtures/dying-read-worker.ts', import.meta.url);

describe('SqliteReadPool', () => {
  it('fails the calls of a worker that dies, then the store walks on its own thread', async () => {
    const s = await openSqliteStores(join(dir, 'dies.db'));
    try {
      const r = await s.graph.writeBatch(
        {
          entities: [
            { type: 'Person', label: 'One', key: 'one' },
            { type: 'Person', label: 'Two', key: 'two' },
          ],
          links: [
            {
              type: 'ASSOCIATE_OF',
              from: { type: 'Person', key: 'one' },
              to: { type: 'Person', key: 'two' },
            },
          ],
        },
        { actor: 't' },
      );
      const before = await s.graph.neighbourhood([r.entityIds[0]], { hops: 1 });
      await s.readInWorkers({ workers: 1, entry: dying });
      await expect(s.graph.neighbourhood([r.entityIds[0]], { hops: 1 })).rejects.toThrow(
        /worker exited \(code 3\)/,
      );
      expect(s.answeredInWorkers).toBe(0);
      expect(await s.graph.neighbourhood([r.entityIds[0]], { hops: 1 })).toEqual(before);
      expect((await s.graph.shortestPaths(r.entityIds[0], r.entityIds[1]))[0].links).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('does not start on a file it cannot open, naming the file', async () => {
    const missing = join(dir, 'no-such.db');
    await expect(SqliteReadPool.start(missing, { workers: 2 })).rejects.toThrow(/no-such\.db/);
  });

  it('answers from the workers; a call whose options cannot be copied fails alone, leaving nothing in flight', async () => {
    const s = await openSqliteStores(join(dir, 'answers.db'));
    const r = await s.graph.writeBatch({ entities: [{ type: 'Person', label: 'Solo' }] }, { actor: 't' });
    await s.readInWorkers({ workers: 2 });
    const got = await Promise.all(
      [1, 2, 3, 4].map(() => s.graph.neighbourhood([r.entityIds[0]], { hops: 2 })),
    );
    expect(got.map((g) => g.nodes.map((n) => n.label))).toEqual(Array(4).fill(['Solo']));
    expect(s.answeredInWorkers).toBe(4);
    // Options that cannot be copied to a worker fail that call alone, leaving nothing in flight; the next
    // call is answered as before.
    const pool = await SqliteReadPool.start(s.path, { workers: 1 });
    try {
      const uncopyable = { hops: 1, filter: { from: (() => '2024') as unknown as string } };
      await expect(pool.call('neighbourhood', [[r.entityIds[0]], uncopyable])).rejects.toThrow(
        /could not be cloned/,
      );
      expect(pool.inFlight).toBe(0);
      const next = pool.call('neighbourhood', [[r.entityIds[0]], { hops: 1 }]);
      expect(pool.inFlight).toBe(1);
      expect((await next).nodes).toHaveLength(1);
      expect(pool.inFlight).toBe(0);
    } finally {
      await pool.stop();
    }
    await s.close();
    expect(s.answeredInWorkers).toBe(0);
  });
});

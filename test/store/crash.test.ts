// kill -9 in the middle of a large seed: the file must open, pass integrity_check, and hold whole transactions only.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { planNetwork } from '../../seed/generate.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { CRASH_PLAN } from './crash-plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the child until it has committed `after` chunks plus a random slice of the next, then kills it -9. */
function seedAndKill(
  db: string,
  after: number,
  extraMs: number,
): Promise<{ committed: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'test/store/crash-child.ts'), db], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = -1;
    let finished = false;
    let err = '';
    let armed = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      for (const m of s.matchAll(/committed (\d+)/g)) committed = Number(m[1]);
      if (s.includes('done')) finished = true;
      if (!armed && committed >= after) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && !finished) reject(new Error(`child exited ${code}: ${err}`));
      else resolve({ committed, finished });
    });
  });
}

describe('crash safety', () => {
  it('a seed killed with SIGKILL mid-way leaves a sound file holding whole chunks only', async () => {
    // Expected totals after each whole chunk, from the same deterministic plan (only as far as needed).
    const plan = planNetwork(CRASH_PLAN.opts, CRASH_PLAN.chunkLinks).chunks();
    const totals: { links: number; entities: number }[] = [];
    const totalAfter = (m: number) => {
      while (totals.length < m) {
        const c = plan.next();
        if (c.done) throw new Error('plan ran out');
        const prev = totals[totals.length - 1] ?? { links: 0, entities: 0 };
        totals.push({
          links: prev.links + (c.value.links?.length ?? 0),
          entities: prev.entities + (c.value.entities?.length ?? 0) + 1,
        });
      }
      return totals[m - 1];
    };
    for (const [round, extraMs] of [
      [0, 37],
      [1, 211],
    ] as const) {
      const path = join(dir, `crash-${round}.db`);
      const run = await seedAndKill(path, 3, extraMs);
      expect(run.finished, 'the child finished before it could be killed; make the plan larger').toBe(false);

      const db = new Database(path);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const markers = db
        .prepare(
          "SELECT json_extract(properties, '$.chunk') AS chunk FROM entities WHERE key LIKE 'ref:CRASH-CHUNK-%' ORDER BY 1",
        )
        .pluck()
        .all() as number[];
      const m = markers.length;
      // Whole chunks, in order, with nothing of a torn one: every count matches the first m chunks exactly.
      expect(m).toBeGreaterThanOrEqual(run.committed + 1);
      expect(markers).toEqual(Array.from({ length: m }, (_, i) => i));
      expect(db.prepare('SELECT COUNT(*) FROM links').pluck().get()).toBe(totalAfter(m).links);
      expect(db.prepare('SELECT COUNT(*) FROM entities').pluck().get()).toBe(totalAfter(m).entities);
      expect(
        db.prepare("INSERT INTO entities_fts (entities_fts) VALUES ('integrity-check')").run(),
      ).toBeTruthy();
      db.close();

      // And the store opens it and writes on.
      const stores = await openSqliteStores(path);
      expect((await stores.counts()).links).toBe(totalAfter(m).links);
      const r = await stores.graph.writeBatch(
        { entities: [{ type: 'Person', label: 'After The Crash' }] },
        { actor: 't' },
      );
      expect(r.entities.created).toBe(1);
      await stores.close();
    }
  });
});

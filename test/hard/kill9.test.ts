// 20 kill -9s of the server at random moments during a large import. After each, the SQLite file opens
// clean (integrity_check ok, audit chain intact); the import then re-runs to the same final counts as an
// undisturbed run, with no duplicates, and a further re-run changes nothing.
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/analysis/random.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { verifyStoreAudit } from '../../server/cli/audit-verify.ts';
import { login, startServer, tempDb } from './harness.ts';

const ROWS = Number(process.env.HARD_IMPORT_ROWS ?? 50_000);
const KILLS = Number(process.env.HARD_KILLS ?? 20);

/** A call-data file: ROWS calls among ROWS/20 UK mobiles, deterministic. */
function cdrFile(): string {
  const phones = Math.max(50, Math.floor(ROWS / 20));
  const lines = ['caller,callee,start,duration'];
  // mulberry32 (a float LCG loses precision and cycles early), as whole numbers below 2^32: the scaling is exact.
  const rand = mulberry32(12345);
  const next = () => rand() * 4294967296;
  const phone = (i: number) => `0781${String(2000000 + i).padStart(7, '0')}`;
  for (let i = 0; i < ROWS; i++) {
    const a = next() % phones;
    let b = next() % phones;
    if (b === a) b = (b + 1) % phones;
    const t =
      new Date(Date.UTC(2025, 0, 1) + (next() % (300 * 86400)) * 1000).toISOString().slice(0, 19) + 'Z';
    lines.push(`${phone(a)},${phone(b)},${t},${next() % 600}`);
  }
  return lines.join('\n') + '\n';
}

async function runImport(url: string, body: string, signal?: AbortSignal): Promise<Response> {
  const s = await login(url);
  return fetch(
    `${url}/api/imports?format=cdr&name=calls.csv&report=HARD/CDR/1&grading=1A&handling=P&reportDate=2025-12-01`,
    {
      method: 'POST',
      headers: { ...s.headers, 'content-type': 'text/csv' },
      body,
      signal,
    },
  );
}

function counts(dbPath: string): { entities: number; links: number; reports: number; dupKeys: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    return {
      entities: one('SELECT COUNT(*) FROM entities'),
      links: one('SELECT COUNT(*) FROM links'),
      reports: one('SELECT COUNT(*) FROM reports'),
      dupKeys: one(
        'SELECT COUNT(*) FROM (SELECT type, key FROM entities GROUP BY type, key HAVING COUNT(*) > 1)',
      ),
    };
  } finally {
    db.close();
  }
}

describe('kill -9 during a large import', () => {
  it(`survives ${KILLS} kills and re-runs to the same counts`, async () => {
    const file = cdrFile();

    // Undisturbed reference run, timed so the kills land during the import.
    const ref = tempDb();
    let server = await startServer(ref.dbPath);
    const t0 = Date.now();
    const refRes = await runImport(server.url, file);
    const importMs = Date.now() - t0;
    expect(refRes.status, await refRes.clone().text()).toBe(200);
    await server.stop();
    const expected = counts(ref.dbPath);
    console.log(`reference import: ${ROWS} rows in ${importMs} ms ->`, expected);
    expect(expected.entities).toBeGreaterThan(0);
    expect(expected.dupKeys).toBe(0);
    rmSync(ref.dir, { recursive: true, force: true });

    const { dir, dbPath } = tempDb();
    const moments: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      server = await startServer(dbPath);
      const at = Math.floor(50 + Math.random() * importMs * 1.1);
      moments.push(at);
      const pending = runImport(server.url, file).catch(() => null);
      await new Promise((r) => setTimeout(r, at));
      await server.kill9();
      await pending;
      const db = new Database(dbPath);
      expect(db.pragma('integrity_check', { simple: true }), `after kill ${k + 1} at ${at} ms`).toBe('ok');
      db.close();
      const c = counts(dbPath);
      expect(c.dupKeys).toBe(0);
      // All or nothing: either the import committed in full or nothing of it is there.
      expect([0, expected.entities]).toContain(c.entities);
    }
    console.log(`kill moments (ms after the import request): ${moments.join(', ')}`);

    server = await startServer(dbPath);
    const res = await runImport(server.url, file);
    expect(res.status).toBe(200);
    const again = await runImport(server.url, file);
    expect(again.status).toBe(200);
    await server.stop();
    expect(counts(dbPath)).toEqual(expected);

    const stores = await openSqliteStores(dbPath);
    const chain = await verifyStoreAudit(stores.security);
    await stores.close();
    expect(chain.broken).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});

// 20 concurrent writers for 60 s on shared entities over loopback HTTP. Every acknowledged write must be
// present afterwards, none twice; p50/p99 write latency is printed. Each writer alternates two kinds of
// write on the same 20 shared people: an annotation (a row per write) and a batch that attaches a new
// phone to a shared person (an upsert that must not duplicate).
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { login, percentile, startServer, tempDb } from './harness.ts';

const WRITERS = Number(process.env.HARD_WRITERS ?? 20);
const SECONDS = Number(process.env.HARD_WRITER_SECONDS ?? 60);

describe('concurrent writers', () => {
  it(`${WRITERS} writers for ${SECONDS} s: every acknowledged write present once`, async () => {
    const { dir, dbPath } = tempDb();
    const server = await startServer(dbPath);
    const admin = await login(server.url);
    const shared: string[] = [];
    {
      const res = await fetch(`${server.url}/api/batch`, {
        method: 'POST',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          entities: Array.from({ length: 20 }, (_, i) => ({
            type: 'Person',
            label: `Shared ${i}`,
            key: `shared-${i}`,
          })),
        }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      shared.push(...((await res.json()) as { entityIds: string[] }).entityIds);
    }

    const acked = { notes: [] as string[], phones: [] as string[] };
    const latencies: number[] = [];
    const failures: string[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    const phone = (w: number, i: number) => `0790${String(w).padStart(2, '0')}${String(i).padStart(5, '0')}`;

    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const s = await login(server.url);
        const headers = { ...s.headers, 'content-type': 'application/json' };
        for (let i = 0; Date.now() < deadline; i++) {
          const target = shared[(w + i) % shared.length];
          const t0 = performance.now();
          let res: Response;
          if (i % 2 === 0) {
            const text = `w${w}-n${i}`;
            res = await fetch(`${server.url}/api/annotations`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ target: { kind: 'entity', id: target }, text }),
            });
            if (res.ok) acked.notes.push(text);
          } else {
            const key = phone(w, i);
            res = await fetch(`${server.url}/api/batch`, {
              method: 'POST',
              headers,
              body: JSON.stringify({
                entities: [{ type: 'Phone', label: key, properties: { number: key } }],
                links: [
                  { type: 'USES', from: { id: target }, to: { type: 'Phone', key: `+44${key.slice(1)}` } },
                ],
              }),
            });
            if (res.ok) acked.phones.push(((await res.json()) as { entityIds: string[] }).entityIds[0]);
          }
          latencies.push(performance.now() - t0);
          if (!res.ok) failures.push(`${res.status} ${await res.text()}`);
          else if (i % 2 === 0) await res.arrayBuffer();
        }
      }),
    );
    await server.stop();

    const db = new Database(dbPath, { readonly: true });
    const noteCounts = new Map<string, number>();
    for (const t of db.prepare('SELECT text FROM annotations').pluck().all() as string[])
      noteCounts.set(t, (noteCounts.get(t) ?? 0) + 1);
    const phoneRows = db.prepare("SELECT id FROM entities WHERE type = 'Phone'").pluck().all() as number[];
    const usesLinks = db.prepare("SELECT COUNT(*) FROM links WHERE type = 'USES'").pluck().get() as number;
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();

    latencies.sort((a, b) => a - b);
    const writes = acked.notes.length + acked.phones.length;
    console.log(
      `${WRITERS} writers x ${SECONDS} s: ${writes} acknowledged writes (${(writes / SECONDS).toFixed(0)}/s), ` +
        `${failures.length} refused; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
    );
    if (failures.length) console.log('first refusals:', failures.slice(0, 5));
    expect(integrity).toBe('ok');
    expect(failures).toEqual([]);
    for (const t of acked.notes) expect(noteCounts.get(t), t).toBe(1);
    expect([...noteCounts.values()].reduce((a, b) => a + b, 0)).toBe(acked.notes.length);
    expect(new Set(acked.phones).size).toBe(acked.phones.length);
    expect(phoneRows.length).toBe(acked.phones.length);
    expect(usesLinks).toBe(acked.phones.length);
    rmSync(dir, { recursive: true, force: true });
  });
});

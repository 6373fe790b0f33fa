// The demo network carries its single calls and ANPR reads (seed/calls.ts): every CALLED and SIGHTED_AT link
// has as many events as its count, the first on its generated first day and the last on its last day, and the
// link carries the figures its events give (count, first and last call to the second), as the store would
// derive them, so loading the demo again changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNetwork } from '../../seed/generate.ts';
import { DEFAULT_SEED, loadSeed } from '../../seed/load.ts';
import { withCalls } from '../../seed/calls.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-demo-calls-'));
let s: SqliteStores;
beforeAll(async () => {
  s = await openSqliteStores(join(dir, 'demo.db'));
  await loadSeed(s, { truthFile: null });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

type Row = [string, string, string, number, string, string, string, number, number, number, number];

describe('the demo network', () => {
  it('gives each CALLED and SIGHTED_AT link its generated count of calls or reads inside its days, and their figures', () => {
    const { batch } = generateNetwork({ seed: DEFAULT_SEED, size: 'demo' });
    const want = new Map<string, { weight: number; first: string; last: string }>();
    for (const l of batch.links!)
      if ((l.type === 'CALLED' || l.type === 'SIGHTED_AT') && 'key' in l.from && 'key' in l.to)
        want.set(`${l.type}|${l.from.key}|${l.to.key}`, {
          weight: l.weight ?? 1,
          first: l.firstSeen!,
          last: l.lastSeen!,
        });
    const rows = s.db
      .prepare(
        `SELECT l.type, a.key, b.key, l.weight, l.first_seen, l.last_seen, l.properties,
                count(e.id), min(e.at_ms), max(e.at_ms), total(e.duration)
         FROM links l JOIN entities a ON a.id = l.from_id JOIN entities b ON b.id = l.to_id
         LEFT JOIN events e ON e.link_id = l.id
         WHERE l.type IN ('CALLED', 'SIGHTED_AT') GROUP BY l.id`,
      )
      .raw()
      .all() as Row[];
    expect(rows.length).toBe(want.size);
    let calls = 0;
    for (const [type, from, to, weight, first, last, props, n, minAt, maxAt, seconds] of rows) {
      const w = want.get(`${type}|${from}|${to}`)!;
      expect(weight).toBe(w.weight);
      expect(n).toBe(weight);
      const second = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect([first, last]).toEqual([second(minAt), second(maxAt)]);
      expect(first.slice(0, 10)).toBe(w.first);
      // A link of one call is seen on the day of that call, the first of its generated span.
      expect(last.slice(0, 10)).toBe(weight > 1 ? w.last : w.first);
      if (type === 'CALLED') {
        expect(JSON.parse(props)).toEqual({ calls: weight, totalDuration: seconds });
        calls += n;
      }
    }
    // The demo's scale: thousands of calls, for the timeline and the call patterns.
    expect(calls).toBeGreaterThan(5000);
  });

  it('the same seed gives the same calls, whatever the chunking', () => {
    const { batch } = generateNetwork({ seed: DEFAULT_SEED, size: 'demo' });
    const whole = withCalls(batch, DEFAULT_SEED, 'demo');
    const half = Math.floor(batch.links!.length / 2);
    const parts = [
      withCalls({ links: batch.links!.slice(0, half) }, DEFAULT_SEED, 'demo'),
      withCalls({ links: batch.links!.slice(half) }, DEFAULT_SEED, 'demo'),
    ];
    const times = (b: typeof whole) =>
      [...(b.events ?? [])]
        .flatMap((c) => [...c.atMs].map((t, k) => `${c.kind}${t}|${c.duration[k]}`))
        .sort();
    expect(times(parts[0]).concat(times(parts[1])).sort()).toEqual(times(whole));
    expect(withCalls(batch, DEFAULT_SEED, 2000)).toBe(batch);
  });

  it('a view over a window counts the calls inside it (hand count from the events table)', async () => {
    const from = '2024-05-01';
    const to = '2024-05-31';
    const view = await s.graph.subgraph({ from, to, linkTypes: ['CALLED'] });
    const counted = new Map(
      (
        s.db
          .prepare(
            `SELECT link_id, count(*) FROM events WHERE kind = 0 AND at_ms >= ? AND at_ms <= ? GROUP BY link_id`,
          )
          .raw()
          .all(Date.parse('2024-05-01T00:00:00Z'), Date.parse('2024-05-31T23:59:59.999Z')) as [
          number,
          number,
        ][]
      ).map(([id, n]) => [`l${id}`, n]),
    );
    const inView = view.links.filter((l) => l.type === 'CALLED' && counted.has(l.id));
    expect(inView.length).toBeGreaterThan(50);
    for (const l of inView) expect(l.weight).toBe(counted.get(l.id));
  });
});

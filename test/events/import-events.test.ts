// The calls of a large import: held on disk past one block (so memory does not grow with the file) and
// handed back grouped by link; a large batch rebuilds the time index before its commit, and the store's
// counts and time queries are what a hand count of the generated calls says.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCK, EventBuffer } from '../../server/import/formats/events-buffer.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import type { EventColumns } from '../../server/domain/events.ts';
import type { LinkInput } from '../../server/domain/model.ts';
import { report } from '../contract/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-import-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = [link: number, at: number, duration: number, direction: number, place: number];

/** `n` events over `links` links in a random order, as a file lists calls; `position` sorts the links. */
function generate(n: number, links: number, seed: number) {
  const rnd = mulberry32(seed);
  const buf = new EventBuffer('call');
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const link = Math.floor(rnd() * links);
    const at = Date.UTC(2024, 0, 1) + Math.floor(rnd() * 1e10);
    const duration = Math.floor(rnd() * 600);
    const place = i % 7 === 0 ? `cell ${link % 5}` : null;
    buf.add(link, at, duration, i % 3 === 0 ? 'incoming' : 'outgoing', place);
    rows.push([link, at, duration, i % 3 === 0 ? 2 : 1, place === null ? -1 : link % 5]);
  }
  const position = new Uint32Array(links);
  const order = Array.from({ length: links }, (_, i) => i).sort(() => rnd() - 0.5);
  order.forEach((own, p) => (position[own] = p));
  return { buf, rows, position };
}

function flatten(blocks: Iterable<EventColumns>): { rows: string[]; ranges: [number, number][] } {
  const rows: string[] = [];
  const ranges: [number, number][] = [];
  for (const c of blocks) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < c.count; k++) {
      lo = Math.min(lo, c.link[k]);
      hi = Math.max(hi, c.link[k]);
      const place = c.place[k] < 0 ? '' : c.places[c.place[k]];
      rows.push(`${c.link[k]}|${c.atMs[k]}|${c.duration[k]}|${c.direction[k]}|${place}`);
    }
    ranges.push([lo, hi]);
  }
  return { rows: rows.sort(), ranges };
}

const spillFiles = () =>
  readdirSync(tmpdir()).filter((f) => f.startsWith(`linkchart-events-${process.pid}-`));

describe('the calls of one import', () => {
  it('past one block go to disk and come back whole, each block a run of neighbouring links', () => {
    const n = 2 * BLOCK + 1234;
    const { buf, rows, position } = generate(n, 2000, 11);
    const src = buf.finish(position);
    // The scratch files are unlinked as soon as opened: nothing is left in the temp folder.
    expect(spillFiles()).toEqual([]);
    expect(src.count).toBe(n);
    const got = flatten(src);
    const want = rows
      .map(([l, at, d, dir, p]) => `${position[l]}|${at}|${d}|${dir}|${p < 0 ? '' : `cell ${p}`}`)
      .sort();
    expect(got.rows).toEqual(want);
    expect(got.ranges.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < got.ranges.length; i++)
      expect(got.ranges[i][0]).toBeGreaterThan(got.ranges[i - 1][1]);
    // Read twice (a store may), then released.
    expect(flatten(src).rows).toEqual(want);
    src.close();
    expect(() => [...src]).toThrow(/already released/);
  });

  it('up to one block stay in memory, as one block', () => {
    const { buf, rows, position } = generate(1000, 50, 12);
    const src = buf.finish(position);
    const blocks = [...src];
    expect(blocks).toHaveLength(1);
    expect(blocks[0].count).toBe(rows.length);
    src.close();
  });

  it('a large batch rebuilds the time index in its transaction; counts and time queries match a hand count', async () => {
    const links = 400;
    const n = 60_000;
    const { buf, rows, position } = generate(n, links, 13);
    const phone = (i: number) => `+4477009${String(i).padStart(5, '0')}`;
    const linkInputs: LinkInput[] = Array.from({ length: links }, (_, p) => ({
      type: 'CALLED',
      from: { type: 'Phone', key: phone(p) },
      to: { type: 'Phone', key: phone(p + 1) },
      reports: ['r1'],
    }));
    const s = await openSqliteStores(join(dir, 'big.db'));
    try {
      // The links first, then the calls: the counts of links already there are derived from their calls.
      await s.graph.writeBatch(
        {
          reports: [report('r1', 2, 'B')],
          entities: Array.from({ length: links + 1 }, (_, i) => ({
            type: 'Phone' as const,
            label: phone(i),
            key: phone(i),
            properties: { number: phone(i) },
            reports: ['r1'],
          })),
          links: linkInputs,
        },
        { actor: 't' },
      );
      const src = buf.finish(position);
      await s.graph.writeBatch({ links: linkInputs, events: src }, { actor: 't', importId: 'imp-test' });
      src.close();
      const idx = s.db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
        .pluck()
        .all();
      expect(idx).toEqual(['events_at', 'events_link', 'events_report']);
      // A whole-store time query reads the time index, not the table.
      const plan = s.db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT id FROM events WHERE at_ms >= ? AND at_ms <= ? ORDER BY at_ms, id',
        )
        .all(0, 1) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX events_at/);
      // Hand count: link p's calls and their total duration, and the calls of one day across all links.
      const own = position.indexOf(7); // the file's own number of the link from phone 7
      const mine = rows.filter((r) => r[0] === own);
      const [calls, total] = s.db
        .prepare(
          `SELECT l.weight, json_extract(l.properties, '$.totalDuration') FROM links l
           JOIN entities e ON e.id = l.from_id WHERE e.key = ?`,
        )
        .raw()
        .get(phone(7)) as [number, number];
      expect([calls, total]).toEqual([mine.length, mine.reduce((t, r) => t + r[2], 0)]);
      const from = Date.UTC(2024, 1, 1);
      const to = from + 86_400_000 - 1;
      const day = rows.filter((r) => r[1] >= from && r[1] <= to).length;
      const got = await s.graph.listEvents({ from: '2024-02-01', to: '2024-02-01', limit: 5000 });
      expect(got.events).toHaveLength(day);
      expect(day).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });
});

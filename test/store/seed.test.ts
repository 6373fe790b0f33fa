// The seed generator: deterministic, realistic in shape, faithful to its ground truth, and loadable.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LinkInput } from '../../server/domain/model.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { ARREST_DAY, generateNetwork, planNetwork } from '../../seed/generate.ts';
import { loadSeed } from '../../seed/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (r: LinkInput['from']): string => ('key' in r ? r.key : r.id);

/** Phone key -> the person keys that used it. */
function phoneUsers(batch: WriteBatch): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>();
  for (const l of batch.links!) {
    if (l.type !== 'USES' || !('type' in l.to) || l.to.type !== 'Phone') continue;
    const s = users.get(key(l.to)) ?? new Set<string>();
    s.add(key(l.from));
    users.set(key(l.to), s);
  }
  return users;
}

describe('seed generator', () => {
  it('the same seed gives the same network; another seed gives another', () => {
    const a = generateNetwork({ seed: 7 });
    const b = generateNetwork({ seed: 7 });
    const c = generateNetwork({ seed: 8 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c.batch)).not.toBe(JSON.stringify(a.batch));
    expect(c.truth.leaders).not.toEqual(a.truth.leaders.map((k) => a.truth.labels[k]));
  });

  it('the demo is a county-lines network of realistic size and make-up', () => {
    const { batch, truth } = generateNetwork({ seed: 1 });
    const n = batch.entities!.length;
    expect(n).toBeGreaterThan(400);
    expect(n).toBeLessThan(700);
    const types = new Map<string, number>();
    for (const e of batch.entities!) types.set(e.type, (types.get(e.type) ?? 0) + 1);
    for (const t of ['Person', 'Phone', 'Vehicle', 'Location', 'Organisation', 'Account', 'Event']) {
      expect(types.get(t), t).toBeGreaterThan(0);
    }
    const linkTypes = new Set(batch.links!.map((l) => l.type));
    for (const t of [
      'CALLED',
      'USES',
      'SIGHTED_AT',
      'RESIDES_AT',
      'TRANSFERRED',
      'INVOLVED_IN',
      'OCCURRED_AT',
    ]) {
      expect(linkTypes.has(t as LinkInput['type']), t).toBe(true);
    }
    expect(truth.groups).toHaveLength(3);
    expect(truth.leaders).toHaveLength(3);
    expect(truth.brokers.length).toBeGreaterThanOrEqual(2);
    expect(truth.runners.length).toBeGreaterThan(20);
    // Burner phones change over time: runners use several phones in turn.
    const users = phoneUsers(batch);
    const phonesOf = new Map<string, number>();
    for (const [, us] of users) for (const u of us) phonesOf.set(u, (phonesOf.get(u) ?? 0) + 1);
    expect(truth.runners.filter((r) => (phonesOf.get(r) ?? 0) >= 3).length).toBeGreaterThan(5);
    // Calls carry counts and spans; ANPR cameras have coordinates; events have a gravity and a date.
    const called = batch.links!.filter((l) => l.type === 'CALLED');
    expect(
      called.every((l) => (l.weight ?? 0) >= 1 && l.firstSeen && l.lastSeen && l.firstSeen <= l.lastSeen),
    ).toBe(true);
    expect(new Set(called.map((l) => l.weight)).size).toBeGreaterThan(10);
    const cams = batch.entities!.filter((e) => e.properties?.kind === 'ANPR camera');
    expect(cams.length).toBeGreaterThan(5);
    expect(
      cams.every((c) => typeof c.properties!.lat === 'number' && typeof c.properties!.lon === 'number'),
    ).toBe(true);
    const events = batch.entities!.filter((e) => e.type === 'Event');
    expect(
      events.every((e) => Number(e.properties!.gravity) >= 1 && Number(e.properties!.gravity) <= 10),
    ).toBe(true);
    expect(events.every((e) => /^\d{4}-\d{2}-\d{2}$/.test(String(e.properties!.date)))).toBe(true);
  });

  it('report gradings follow a realistic spread, and handling C states its conditions', () => {
    const { batch } = generateNetwork({ seed: 99, size: 20_000 });
    const reports = batch.reports!;
    const share = (f: (r: (typeof reports)[number]) => boolean) => reports.filter(f).length / reports.length;
    expect(share((r) => r.source === 2 && (r.intel === 'B' || r.intel === 'C'))).toBeGreaterThan(0.5);
    expect(share((r) => r.source === 1 && r.intel === 'A')).toBeGreaterThan(0.05);
    const e3 = share((r) => r.source === 3 && r.intel === 'E');
    expect(e3).toBeGreaterThan(0.01);
    expect(e3).toBeLessThan(0.1);
    const c = reports.filter((r) => r.handling === 'C');
    expect(c.length).toBeGreaterThan(0);
    expect(c.every((r) => (r.conditions ?? '').length > 0)).toBe(true);
    // Every fact cites reports.
    const cited = batch.links!.filter((l) => (l.reports ?? []).length > 0).length / batch.links!.length;
    expect(cited).toBeGreaterThan(0.9);
  });

  it('leaders are insulated: no call between a leader and a runner; they speak to lieutenants and brokers', () => {
    for (const seed of [1, 2, 3]) {
      const { batch, truth } = generateNetwork({ seed });
      const users = phoneUsers(batch);
      const leaders = new Set(truth.leaders);
      const runners = new Set(truth.runners);
      const inner = new Set([...truth.lieutenants, ...truth.brokers]);
      const contacts = new Set<string>();
      let leaderCalls = 0;
      for (const l of batch.links!) {
        if (l.type !== 'CALLED') continue;
        const a = users.get(key(l.from)) ?? new Set<string>();
        const b = users.get(key(l.to)) ?? new Set<string>();
        for (const [x, y] of [
          [a, b],
          [b, a],
        ]) {
          if (![...x].some((u) => leaders.has(u))) continue;
          leaderCalls++;
          expect(
            [...y].some((u) => runners.has(u)),
            `seed ${seed}: a leader called a runner`,
          ).toBe(false);
          for (const u of y) contacts.add(u);
        }
      }
      expect(leaderCalls).toBeGreaterThan(0);
      // Apart from family, everyone a leader calls is a lieutenant or a broker.
      const family = new Set(
        batch.links!.filter((l) => l.type === 'RELATIVE_OF').flatMap((l) => [key(l.from), key(l.to)]),
      );
      expect([...contacts].filter((u) => !inner.has(u) && !family.has(u))).toEqual([]);
    }
  });

  it('numeric sizes give exactly that many links, in chunks, without holding them all', () => {
    const plan = planNetwork({ seed: 5, size: 12_345 }, 1_000);
    let links = 0;
    let chunks = 0;
    for (const c of plan.chunks()) {
      expect(c.links?.length ?? 0).toBeLessThanOrEqual(1_000);
      links += c.links?.length ?? 0;
      chunks++;
    }
    expect(links).toBe(12_345);
    expect(plan.truth.counts.links).toBe(12_345);
    expect(chunks).toBeGreaterThan(12);
    expect(() => planNetwork({ seed: 1, size: 5 })).toThrow(/size/);
  });

  it('the intervention ends the arrested leader and broker on the arrest date and their successors take over', () => {
    const { batch, truth } = generateNetwork({ seed: 4, intervention: true });
    const iv = truth.intervention!;
    expect(iv.date).toBe('2024-07-01');
    expect(iv.arrested).toHaveLength(2);
    expect(iv.arrested[0]).toBe(truth.leaders[0]);
    const users = phoneUsers(batch);
    const callsOf = (person: string) =>
      batch.links!.filter(
        (l) =>
          l.type === 'CALLED' &&
          ((users.get(key(l.from)) ?? new Set()).has(person) ||
            (users.get(key(l.to)) ?? new Set()).has(person)),
      );
    for (const a of iv.arrested) {
      const calls = callsOf(a);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((l) => l.lastSeen! <= iv.date)).toBe(true);
      const successor = iv.successors[a];
      expect(truth.labels[successor]).toBeTruthy();
      expect(callsOf(successor).some((l) => l.firstSeen! >= iv.date)).toBe(true);
    }
    expect(ARREST_DAY).toBe(182);
    expect(generateNetwork({ seed: 4 }).truth.intervention).toBeUndefined();
  });

  it('the demo loads into a store: every row valid, counts as generated, truth written with ids', async () => {
    const stores = await openSqliteStores(join(dir, 'demo.db'));
    const truthFile = join(dir, 'truth.json');
    const r = await loadSeed(stores, { seed: 11, truthFile, chunkLinks: 300 });
    const { truth } = generateNetwork({ seed: 11 });
    expect(r.counts.entities).toBe(truth.counts.entities);
    expect(r.counts.links).toBe(truth.counts.links);
    expect(r.counts.reports).toBe(truth.counts.reports);
    const written = JSON.parse(readFileSync(truthFile, 'utf8')) as typeof r.truth;
    expect(written.leaders).toEqual(truth.leaders);
    for (const k of written.leaders) {
      const e = await stores.graph.getEntity(written.ids![k]);
      expect(e?.label).toBe(truth.labels[k]);
    }
    // Loading again changes nothing.
    const v = await stores.graph.dataVersion();
    const again = await loadSeed(stores, { seed: 11, truthFile: null });
    expect(again.counts.links).toBe(r.counts.links);
    expect(await stores.graph.dataVersion()).toBe(v);
    await stores.close();
  });
});

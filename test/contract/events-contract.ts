// The GraphStore contract, events: every call and ANPR read an import brings in is kept, read back a keyset
// page at a time with its filters, and the CALLED / SIGHTED_AT counts follow the events through a second
// report and through disposal of a report. The expected figures are counted by hand from the files below.
// Part of stores-contract.ts.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LinkEvent } from '../../server/domain/events.ts';
import { runImport } from '../../server/import/pipeline.ts';
import { buildView } from '../../server/analysis/view.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, freshStores, storeError } from './fixtures.ts';

/** Report A: six calls. By pair: 1->2 three calls (60+120+300 s), 2->1 one, 1->3 one, 3->2 one. */
export const CDR_A = `caller,callee,start,duration
07700 900001,07700 900002,2024-03-01 10:00:00,60
07700 900001,07700 900002,2024-03-01 12:30:00,120
07700 900002,07700 900001,2024-03-02 09:00:00,30
07700 900001,07700 900003,2024-03-02 23:59:59,45
07700 900003,07700 900002,2024-03-03 08:00:00,10
07700 900001,07700 900002,2024-03-05 18:00:00,300
`;
/** Report B: one call A also holds (1->2 on the 5th) and one new (1->2 on the 6th, 15 s). */
export const CDR_B = `caller,callee,start,duration
07700 900001,07700 900002,2024-03-05 18:00:00,300
07700 900001,07700 900002,2024-03-06 07:00:00,15
`;
const ANPR = `vrm,camera,time
AB12 CDE,M6 J10 North,2024-03-01 10:00:00
AB12 CDE,M6 J10 North,2024-03-01 18:00:00
AB12 CDE,A34 Bridge,2024-03-02 09:00:00
`;

export async function importCsv(graph: GraphStore, text: string, options: Record<string, string>) {
  return runImport({
    store: graph,
    input: Readable.from([text]),
    options,
    ctx: { actor: 'contract' },
  });
}

const A = { format: 'cdr', report: 'CDR-A', grading: '2B', handling: 'P' };
const B = { format: 'cdr', report: 'CDR-B', grading: '1A', handling: 'P' };

async function allEvents(graph: GraphStore, filter: Parameters<GraphStore['listEvents']>[0]) {
  const out: LinkEvent[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const p = await graph.listEvents({ ...filter, ...(after ? { after } : {}) });
    out.push(...p.events);
    if (!p.next) return out;
    after = p.next;
  }
  throw new Error('more than 100 pages');
}

export function eventsContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`GraphStore contract, events: ${name}`, () => {
    const stores = freshStores(setup);
    const phone = async (n: string) => (await stores.graph.findEntity('Phone', `+44770090000${n}`))!.id;
    const called = async (a: string, b: string) => {
      const page = await stores.graph.listLinks({ type: 'CALLED', entityId: await phone(a), limit: 100 });
      const to = await phone(b);
      return page.items.find((l) => l.to === to) ?? null;
    };

    it('a CDR import keeps every call, and the CALLED link is their count', async () => {
      await importCsv(stores.graph, CDR_A, A);
      const l12 = (await called('1', '2'))!;
      expect(l12).toMatchObject({
        weight: 3,
        firstSeen: '2024-03-01T10:00:00Z',
        lastSeen: '2024-03-05T18:00:00Z',
        properties: { calls: 3, totalDuration: 480 },
      });
      const page = await stores.graph.listEvents({ linkIds: [l12.id], limit: 10 });
      expect(page.next).toBeNull();
      expect(page.events.map((e) => [e.at, e.durationSeconds])).toEqual([
        ['2024-03-01T10:00:00Z', 60],
        ['2024-03-01T12:30:00Z', 120],
        ['2024-03-05T18:00:00Z', 300],
      ]);
      const rep = await stores.graph.getReport('CDR-A');
      for (const e of page.events) {
        expect(e).toMatchObject({
          kind: 'call',
          direction: 'outgoing',
          fromId: await phone('1'),
          toId: await phone('2'),
          linkId: l12.id,
          place: null,
          reportId: rep!.id,
        });
        expect(e.importId).toMatch(/^imp-/);
      }
      expect(new Set(page.events.map((e) => e.id)).size).toBe(3);
      // Importing the same file again adds no call.
      await importCsv(stores.graph, CDR_A, A);
      expect(await allEvents(stores.graph, { limit: 100 })).toHaveLength(6);
      expect((await called('1', '2'))!.weight).toBe(3);
    });

    it('pages in time order with a keyset cursor, and filters by entity, window and kind', async () => {
      await importCsv(stores.graph, CDR_A, A);
      await importCsv(stores.graph, ANPR, { format: 'anpr' });
      const all = await stores.graph.listEvents({ limit: 100 });
      expect(all.events).toHaveLength(9);
      const pages = await allEvents(stores.graph, { limit: 2 });
      expect(pages.map((e) => e.id)).toEqual(all.events.map((e) => e.id));
      const ats = all.events.map((e) => e.at);
      expect([...ats].sort()).toEqual(ats);
      // Phone 3 took part in two calls (1->3 and 3->2).
      const p3 = await allEvents(stores.graph, { entityIds: [await phone('3')], limit: 1 });
      expect(p3.map((e) => e.at)).toEqual(['2024-03-02T23:59:59Z', '2024-03-03T08:00:00Z']);
      // The 2nd of March as a day: one call at 09:00, one at 23:59:59, and the ANPR read at 09:00.
      const day = await allEvents(stores.graph, { from: '2024-03-02', to: '2024-03-02', limit: 100 });
      expect(day.map((e) => [e.kind, e.at])).toEqual([
        ['call', '2024-03-02T09:00:00Z'],
        ['sighting', '2024-03-02T09:00:00Z'],
        ['call', '2024-03-02T23:59:59Z'],
      ]);
      const calls = await allEvents(stores.graph, {
        kinds: ['call'],
        from: '2024-03-01T11:00:00Z',
        to: '2024-03-03T08:00:00Z',
        limit: 100,
      });
      expect(calls.map((e) => e.at)).toEqual([
        '2024-03-01T12:30:00Z',
        '2024-03-02T09:00:00Z',
        '2024-03-02T23:59:59Z',
        '2024-03-03T08:00:00Z',
      ]);
      const reads = await allEvents(stores.graph, { kinds: ['sighting'], limit: 100 });
      expect(reads.map((e) => [e.place, e.durationSeconds, e.direction])).toEqual([
        ['M6 J10 North', null, null],
        ['M6 J10 North', null, null],
        ['A34 Bridge', null, null],
      ]);
      const sighted = await stores.graph.getLink(reads[0].linkId);
      expect(sighted).toMatchObject({ type: 'SIGHTED_AT', weight: 2, properties: { reads: 2 } });
    });

    it('a second report adds only the calls it brings; disposing of a report takes its calls and the counts follow', async () => {
      await importCsv(stores.graph, CDR_A, A);
      await importCsv(stores.graph, CDR_B, B);
      // The call on the 5th is in both reports: one call, kept once per report.
      expect(await called('1', '2')).toMatchObject({
        weight: 4,
        lastSeen: '2024-03-06T07:00:00Z',
        properties: { calls: 4, totalDuration: 495 },
      });
      const l12 = (await called('1', '2'))!.id;
      expect(await allEvents(stores.graph, { linkIds: [l12], limit: 100 })).toHaveLength(5);

      const gone = await stores.graph.deleteReport('CDR-A', { actor: 'contract' });
      // 2->1, 1->3 and 3->2 rested on A alone; phone 3 too. 1->2 keeps B's two calls.
      expect(gone.links).toHaveLength(3);
      expect(gone.links).not.toContain(l12);
      expect(await called('1', '2')).toMatchObject({
        weight: 2,
        firstSeen: '2024-03-05T18:00:00Z',
        lastSeen: '2024-03-06T07:00:00Z',
        properties: { calls: 2, totalDuration: 315 },
      });
      const left = await allEvents(stores.graph, { limit: 100 });
      expect(left.map((e) => e.at)).toEqual(['2024-03-05T18:00:00Z', '2024-03-06T07:00:00Z']);
      const rb = (await stores.graph.getReport('CDR-B'))!.id;
      expect(left.every((e) => e.reportId === rb)).toBe(true);

      const gone2 = await stores.graph.deleteReport('CDR-B', { actor: 'contract' });
      expect(gone2.links).toEqual([l12]);
      expect(await stores.graph.listEvents({ limit: 10 })).toEqual({ events: [], next: null });
    });

    it('a view over a window is built from the calls inside it (hand count), other links by their span', async () => {
      await importCsv(stores.graph, CDR_A, A);
      const [p1, p2, p3] = [await phone('1'), await phone('2'), await phone('3')];
      // Two people known to associate from March 1st to 4th: no events, so today's rule (span overlap).
      await stores.graph.writeBatch(
        {
          entities: [
            { type: 'Person', label: 'Ann Window', key: 'ann window' },
            { type: 'Person', label: 'Bob Window', key: 'bob window' },
          ],
          links: [
            {
              type: 'ASSOCIATE_OF',
              from: { type: 'Person', key: 'ann window' },
              to: { type: 'Person', key: 'bob window' },
              firstSeen: '2024-03-01',
              lastSeen: '2024-03-04',
            },
          ],
        },
        { actor: 'contract' },
      );
      const pairs = (sg: Awaited<ReturnType<GraphStore['subgraph']>>) =>
        sg.links
          .filter((l) => l.type === 'CALLED')
          .map((l) => ({ from: l.from, to: l.to, weight: l.weight, p: l.properties }))
          .sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
      const sorted = <T extends { from: string; to: string }>(xs: T[]) =>
        xs.sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));

      // 11:00 on the 1st to noon on the 5th, counted by hand from CDR_A: 1->2 only the 12:30 call (120 s);
      // 2->1, 1->3 and 3->2 their one call each. The 10:00 and 18:00 calls of 1->2 are outside.
      const w1 = await stores.graph.subgraph({ from: '2024-03-01T11:00:00Z', to: '2024-03-05T12:00:00Z' });
      expect(pairs(w1)).toEqual(
        sorted([
          { from: p1, to: p2, weight: 1, p: { calls: 1, totalDuration: 120 } },
          { from: p2, to: p1, weight: 1, p: { calls: 1, totalDuration: 30 } },
          { from: p1, to: p3, weight: 1, p: { calls: 1, totalDuration: 45 } },
          { from: p3, to: p2, weight: 1, p: { calls: 1, totalDuration: 10 } },
        ]),
      );
      const l12 = w1.links.find((l) => l.from === p1 && l.to === p2)!;
      expect([l12.firstSeen, l12.lastSeen]).toEqual(['2024-03-01T12:30:00Z', '2024-03-01T12:30:00Z']);
      expect(w1.links.filter((l) => l.type === 'ASSOCIATE_OF')).toHaveLength(1);

      // Noon on the 3rd to the end of the 4th: 1->2 spans the 1st to the 5th but made no call then, so it
      // is not in the window's network; no call at all falls there. The association still overlaps.
      const w2 = await stores.graph.subgraph({ from: '2024-03-03T12:00:00Z', to: '2024-03-04' });
      expect(pairs(w2)).toEqual([]);
      expect(w2.links.map((l) => l.type)).toEqual(['ASSOCIATE_OF']);

      // The 5th and 6th as days: 1->2's call at 18:00 on the 5th (300 s); the association has ended.
      const w3 = await stores.graph.subgraph({ from: '2024-03-05', to: '2024-03-06' });
      expect(pairs(w3)).toEqual([{ from: p1, to: p2, weight: 1, p: { calls: 1, totalDuration: 300 } }]);
      expect(w3.links).toHaveLength(1);

      // The analysis view of the first window weighs each pair by its calls in the window.
      const view = buildView(w1, {
        filter: { from: '2024-03-01T11:00:00Z', to: '2024-03-05T12:00:00Z', linkTypes: ['CALLED'] },
      });
      // Undirected by default: phones 1 and 2 called each other once each in the window (weights summed).
      expect(view.csr.m).toBe(3);
      expect([...view.csr.edgeW].sort()).toEqual([1, 1, 2]);
      // Without a window the links keep their whole counts (1->2: three calls).
      const whole = await stores.graph.subgraph({});
      expect(whole.links.find((l) => l.from === p1 && l.to === p2)!.weight).toBe(3);
    });

    it('an expansion and a path over a window cross a call link only when one of its calls is inside', async () => {
      await importCsv(stores.graph, CDR_A, A);
      const [p1, p2, p3] = [await phone('1'), await phone('2'), await phone('3')];
      const ids = (sg: { links: { from: string; to: string }[] }) =>
        sg.links.map((l) => `${l.from}>${l.to}`).sort();
      // Noon on the 3rd to the end of the 4th: 1->2's first-to-last span (1st to 5th) covers it, but none of
      // its calls is there (hand count from CDR_A: nothing falls between 3rd 08:00 and 5th 18:00).
      const quiet = { from: '2024-03-03T12:00:00Z', to: '2024-03-04' };
      const out = await stores.graph.neighbourhood([p1], { hops: 2, filter: quiet });
      expect(ids(out)).toEqual([]);
      expect(await stores.graph.shortestPaths(p1, p2, { filter: quiet })).toEqual([]);
      // The 2nd as a day: 2->1 (09:00) and 1->3 (23:59:59) called; 1->2 did not (its calls are on the 1st
      // and 5th), so the only way from 1 to 2 is back along 2->1.
      const second = { from: '2024-03-02', to: '2024-03-02' };
      const near = await stores.graph.neighbourhood([p1], { hops: 1, filter: second });
      expect(ids(near)).toEqual([`${p1}>${p3}`, `${p2}>${p1}`].sort());
      const paths = await stores.graph.shortestPaths(p1, p2, { filter: second });
      const back = (await called('2', '1'))!.id;
      expect(paths).toEqual([{ nodes: [p1, p2], links: [back] }]);
      // Without a window every link is crossed.
      const all = await stores.graph.neighbourhood([p1], { hops: 1 });
      expect(ids(all)).toEqual([`${p1}>${p2}`, `${p1}>${p3}`, `${p2}>${p1}`, `${p3}>${p2}`].sort());
    });

    it('deleting a link or an entity takes their calls with them', async () => {
      await importCsv(stores.graph, CDR_A, A);
      await stores.graph.deleteLink((await called('1', '2'))!.id, { actor: 'contract' });
      expect((await allEvents(stores.graph, { limit: 100 })).map((e) => e.at)).toEqual([
        '2024-03-02T09:00:00Z',
        '2024-03-02T23:59:59Z',
        '2024-03-03T08:00:00Z',
      ]);
      await stores.graph.deleteEntity(await phone('3'), { actor: 'contract' });
      expect((await allEvents(stores.graph, { limit: 100 })).map((e) => e.at)).toEqual([
        '2024-03-02T09:00:00Z',
      ]);
    });

    it('merging two phones and undoing it keeps every call', async () => {
      await importCsv(stores.graph, CDR_A, A);
      const [p2, p3] = [await phone('2'), await phone('3')];
      const l13 = (await called('1', '3'))!.id;
      // Phone 3 is phone 2: 1->3 joins 1->2, and 3->2 becomes a call to itself.
      const m = await stores.graph.merge(p2, p3, { actor: 'contract' });
      await stores.graph.unmerge(m.id, { actor: 'contract' });
      expect(await allEvents(stores.graph, { limit: 100 })).toHaveLength(6);
      const back = await stores.graph.listEvents({ linkIds: [l13], limit: 10 });
      expect(back.events.map((e) => [e.at, e.toId])).toEqual([['2024-03-02T23:59:59Z', p3]]);
    });

    it('a batch written again that only refines its links to their calls moves the data version', async () => {
      // As the demo seed writes them: a CALLED link dated by day, with its calls. The first write keeps the
      // days; the second finds every call there already and sets the link's first and last to the calls'
      // times, which a cached view must see.
      const at = [Date.parse('2024-04-01T08:15:00Z'), Date.parse('2024-04-03T21:40:00Z')];
      const batch = () => ({
        entities: [
          { type: 'Phone' as const, key: '07700 900071', label: '07700 900071', properties: {} },
          { type: 'Phone' as const, key: '07700 900072', label: '07700 900072', properties: {} },
        ],
        links: [
          {
            type: 'CALLED' as const,
            from: { type: 'Phone' as const, key: '07700 900071' },
            to: { type: 'Phone' as const, key: '07700 900072' },
            weight: 2,
            firstSeen: '2024-04-01',
            lastSeen: '2024-04-03',
            properties: {},
          },
        ],
        events: [
          {
            kind: 'call' as const,
            count: 2,
            link: Uint32Array.from([0, 0]),
            atMs: Float64Array.from(at),
            duration: Float64Array.from([30, 90]),
            direction: Uint8Array.from([1, 1]),
            place: Int32Array.from([-1, -1]),
            places: [],
          },
        ],
      });
      const first = await stores.graph.writeBatch(batch(), { actor: 'contract' });
      const id = first.linkIds[0];
      const before = await stores.graph.getLink(id);
      expect(before).toMatchObject({ weight: 2, firstSeen: '2024-04-01', lastSeen: '2024-04-03' });
      const second = await stores.graph.writeBatch(batch(), { actor: 'contract' });
      const after = (await stores.graph.getLink(id))!;
      expect(after).toMatchObject({
        firstSeen: '2024-04-01T08:15:00Z',
        lastSeen: '2024-04-03T21:40:00Z',
        properties: { calls: 2, totalDuration: 120 },
      });
      if (before!.firstSeen !== after.firstSeen)
        expect(second.dataVersion).toBeGreaterThan(first.dataVersion);
      // Written a third time, nothing is left to refine in the calls' figures.
      const third = await stores.graph.writeBatch(batch(), { actor: 'contract' });
      expect(await stores.graph.getLink(id)).toMatchObject({ firstSeen: '2024-04-01T08:15:00Z' });
      expect(third.dataVersion).toBeGreaterThanOrEqual(second.dataVersion);
    });

    it('refuses a bad read, naming the field', async () => {
      const bad = async (filter: Parameters<GraphStore['listEvents']>[0], field: string) => {
        const e = await storeError(stores.graph.listEvents(filter), 'invalid');
        expect(e.path[0]).toBe(field);
      };
      await bad({ limit: 0 }, 'limit');
      await bad({ limit: 100_000 }, 'limit');
      await bad({ entityIds: ['l1'], limit: 5 }, 'entityIds');
      await bad({ linkIds: ['nonsense'], limit: 5 }, 'linkIds');
      await bad({ from: 'yesterday', limit: 5 }, 'from');
      await bad({ from: '2024-03-02', to: '2024-03-01', limit: 5 }, 'from');
      await bad({ after: 'x', limit: 5 }, 'cursor');
      await bad({ kinds: ['text' as 'call'], limit: 5 }, 'kinds');
    });
  });
}

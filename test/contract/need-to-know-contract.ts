// The need-to-know contract: a read scope sees only its operations' facts. A closed operation B shares two
// phones and a vehicle with an open operation A; a scope without B gets no entity, link, report, event, path
// or view node of B's, and sees the shared entities with A's properties, reports and calls only; a scope with
// B gets it all. The figures are counted by hand from the two batches below. Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import type { EventColumns } from '../../server/domain/events.ts';
import { unpackView } from '../../server/analysis/view.ts';
import { buildViewOffThread } from '../../server/jobs/view-off-thread.ts';
import type { GraphStore, WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, P, T, freshStores, person, phone, report, storeError } from './fixtures.ts';

const V = (key: string) => ({ type: 'Vehicle' as const, key });
const ms = (iso: string) => Date.parse(iso);

/** Calls on link index `link` of a batch at the given times, 60 s each. */
function calls(link: number, times: string[]): EventColumns {
  const n = times.length;
  return {
    kind: 'call',
    count: n,
    link: Uint32Array.from(times.map(() => link)),
    atMs: Float64Array.from(times.map(ms)),
    duration: Float64Array.from(times.map(() => 60)),
    direction: new Uint8Array(n),
    place: Int32Array.from(times.map(() => -1)),
    places: [],
  };
}

/** Operation A (open): Alice, her two phones, the car; two calls between the phones. */
const batchA = (): WriteBatch => ({
  reports: [report('RA-1', 2, 'B')],
  entities: [
    person('Alice Archer', { reports: ['RA-1'] }),
    phone('07700 900001', { reports: ['RA-1'] }),
    phone('07700 900002'),
    { type: 'Vehicle', label: 'AB12 CDE', properties: { colour: 'red' } },
  ],
  links: [
    { type: 'USES', from: P('alice archer'), to: T('+447700900001'), reports: ['RA-1'] },
    { type: 'USES', from: P('alice archer'), to: T('+447700900002') },
    { type: 'CALLED', from: T('+447700900001'), to: T('+447700900002'), reports: ['RA-1'] },
    { type: 'USES', from: P('alice archer'), to: V('AB12CDE') },
  ],
  events: [calls(2, ['2024-03-01T10:00:00Z', '2024-03-02T10:00:00Z'])],
});

/** Operation B (closed): the supplier Bruno and his man Carl; the same phones and car, three more calls. */
const batchB = (): WriteBatch => ({
  reports: [report('RB-1', 1, 'A')],
  entities: [
    person('Bruno Supplier', { reports: ['RB-1'] }),
    person('Carl Courier'),
    phone('07700 900001', { properties: { imei: 'imeisecret77' }, reports: ['RB-1'] }),
    phone('07700 900002'),
    { type: 'Vehicle', label: 'AB12 CDE', properties: { note: 'tracker fitted' } },
  ],
  links: [
    { type: 'USES', from: P('bruno supplier'), to: T('+447700900001'), reports: ['RB-1'] },
    { type: 'ASSOCIATE_OF', from: P('bruno supplier'), to: P('carl courier'), reports: ['RB-1'] },
    { type: 'CALLED', from: T('+447700900001'), to: T('+447700900002'), reports: ['RB-1'] },
    { type: 'OWNS', from: P('carl courier'), to: V('AB12CDE'), reports: ['RB-1'] },
  ],
  events: [calls(2, ['2024-03-03T10:00:00Z', '2024-03-04T10:00:00Z', '2024-03-10T10:00:00Z'])],
});

export function needToKnowContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`need-to-know contract: ${name}`, () => {
    const stores = freshStores(setup);

    /** Writes both operations; the ids of what they hold, and the scopes without and with B. */
    async function load() {
      const general = (await stores.operations.defaultOperation()).id;
      const a = await stores.operations.create(
        { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' },
        { actor: 'demo' },
      );
      const b = await stores.operations.create(
        { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
        { actor: 'dsmith' },
      );
      const ra = await stores.graph.writeBatch(batchA(), { actor: 'demo', operationId: a.id });
      const rb = await stores.graph.writeBatch(batchB(), { actor: 'dsmith', operationId: b.id });
      const [alice, t1, t2, car] = ra.entityIds;
      const [bruno, carl] = rb.entityIds;
      const [aliceT1, , call] = ra.linkIds;
      const [brunoT1, brunoCarl, , carlCar] = rb.linkIds;
      const demo = await stores.operations.readableBy('demo');
      const dsmith = await stores.operations.readableBy('dsmith');
      return {
        ops: { general, a: a.id, b: b.id },
        e: { alice, t1, t2, car, bruno, carl },
        l: { aliceT1, call, brunoT1, brunoCarl, carlCar },
        outsider: stores.graph.scoped({ operations: demo }),
        insider: stores.graph.scoped({ operations: dsmith }),
        demo,
        dsmith,
      };
    }

    it('the same phone in two operations is one entity; readable operations follow membership', async () => {
      const w = await load();
      expect(w.demo.sort()).toEqual([w.ops.general, w.ops.a].sort());
      expect(w.dsmith.sort()).toEqual([w.ops.general, w.ops.a, w.ops.b].sort());
      const all = await stores.graph.listEntities();
      expect(all.total).toBe(6);
      expect(await stores.graph.scoped('all').getEntity(w.e.bruno)).not.toBeNull();
    });

    it('a scope without B: B-only entities, links and reports are absent, as if they never existed', async () => {
      const w = await load();
      const g = w.outsider;
      expect(await g.getEntity(w.e.bruno)).toBeNull();
      expect(await g.getEntity(w.e.carl)).toBeNull();
      expect(await g.getEntities([w.e.bruno, w.e.alice, w.e.carl]).then((l) => l.map((e) => e.id))).toEqual([
        w.e.alice,
      ]);
      expect(await g.findEntity('Person', 'bruno supplier')).toBeNull();
      expect(await g.getLink(w.l.brunoT1)).toBeNull();
      expect(await g.getLink(w.l.carlCar)).toBeNull();
      expect(await g.getReport('RB-1')).toBeNull();
      const ents = await g.listEntities();
      expect([ents.total, ents.items.map((e) => e.id).sort()]).toEqual([
        4,
        [w.e.alice, w.e.t1, w.e.t2, w.e.car].sort(),
      ]);
      const links = await g.listLinks();
      expect([links.total, links.items.map((l) => l.id).sort()]).toEqual([
        4,
        [...(await aLinks(stores.graph, w))].sort(),
      ]);
      // A type's total counts what the scope sees of that type (counted from the hidden facts, not the store).
      for (const type of new Set(links.items.map((l) => l.type))) {
        const ofType = await g.listLinks({ type, limit: 1 });
        expect([type, ofType.total]).toEqual([type, links.items.filter((l) => l.type === type).length]);
      }
      // Paged by key the same.
      const first = await g.listLinks({ limit: 2 });
      const second = await g.listLinks({ limit: 2, after: first.next! });
      expect([...first.items, ...second.items].map((l) => l.id).sort()).toEqual(
        links.items.map((l) => l.id).sort(),
      );
      expect(second.next).toBeNull();
      expect((await g.listLinks({ entityId: w.e.t1 })).items.map((l) => l.id).sort()).toEqual(
        [w.l.aliceT1, w.l.call].sort(),
      );
      expect((await g.listReports()).items.map((r) => r.ref)).toEqual(['RA-1']);
      expect(await g.search('Bruno')).toEqual([]);
      await storeError(g.neighbourhood([w.e.bruno], { hops: 1 }), 'not_found');
      await storeError(g.shortestPaths(w.e.alice, w.e.carl), 'not_found');
    });

    it('a scope without B sees the shared entities with A’s properties, reports and calls only', async () => {
      const w = await load();
      const g = w.outsider;
      const t1 = (await g.getEntity(w.e.t1))!;
      expect(t1.properties).toEqual({ number: '07700 900001' });
      expect(t1.reports.map((r) => r.ref)).toEqual(['RA-1']);
      expect((await g.getEntity(w.e.car))!.properties).toEqual({ colour: 'red' });
      // The whole force's copy holds both operations' properties.
      expect((await stores.graph.getEntity(w.e.t1))!.properties).toMatchObject({ imei: 'imeisecret77' });
      expect((await stores.graph.getEntity(w.e.car))!.properties).toEqual({
        colour: 'red',
        note: 'tracker fitted',
      });
      // Search does not find a shared entity by what only B wrote of it.
      expect(await g.search('imeisecret77')).toEqual([]);
      expect(await g.search('tracker')).toEqual([]);
      expect((await g.search('900001')).map((h) => h.entity.id)).toEqual([w.e.t1]);
      expect((await stores.graph.search('imeisecret77')).map((h) => h.entity.id)).toEqual([w.e.t1]);
      // The call link both wrote: A's two calls and A's grading (2B), not B's 1A.
      const call = (await g.getLink(w.l.call))!;
      expect(call.weight).toBe(2);
      expect(call.properties).toMatchObject({ calls: 2 });
      expect(call.grading).toEqual({ source: 2, intel: 'B' });
      expect(call.reports.map((r) => r.ref)).toEqual(['RA-1']);
      const whole = (await stores.graph.getLink(w.l.call))!;
      expect([whole.weight, whole.grading]).toEqual([5, { source: 1, intel: 'A' }]);
      const ev = await g.listEvents({ linkIds: [w.l.call], limit: 100 });
      expect(ev.events.map((e) => e.at)).toEqual(['2024-03-01T10:00:00Z', '2024-03-02T10:00:00Z']);
      expect((await stores.graph.listEvents({ linkIds: [w.l.call], limit: 100 })).events).toHaveLength(5);
      expect((await g.listEvents({ entityIds: [w.e.bruno], limit: 100 })).events).toEqual([]);
    });

    it('walks and views without B: no node, link or path through B', async () => {
      const w = await load();
      const g = w.outsider;
      const hood = await g.neighbourhood([w.e.t1], { hops: 2 });
      expect(hood.nodes.map((n) => n.id).sort()).toEqual([w.e.alice, w.e.t1, w.e.t2, w.e.car].sort());
      expect(hood.links.map((l) => l.id).sort()).toEqual([...(await aLinks(stores.graph, w))].sort());
      expect(hood.nodes.find((n) => n.id === w.e.t1)!.properties).toEqual({ number: '07700 900001' });
      expect(hood.links.find((l) => l.id === w.l.call)!.weight).toBe(2);
      // The only way from Alice to Carl is through B; the whole force sees it, the scope does not.
      expect(await stores.graph.shortestPaths(w.e.t2, w.e.car)).toHaveLength(1);
      const viaB = await stores.graph.shortestPaths(w.e.t1, w.e.carl);
      expect(viaB[0].nodes).toContain(w.e.bruno);
      expect(await g.shortestPaths(w.e.t2, w.e.car)).toHaveLength(1);
      const sg = await g.subgraph({});
      expect(sg.nodes.map((n) => n.id).sort()).toEqual([w.e.alice, w.e.t1, w.e.t2, w.e.car].sort());
      expect(sg.links).toHaveLength(4);
      expect(sg.links.find((l) => l.id === w.l.call)!.weight).toBe(2);
      // A time window counts only the scope's calls: none of A's after the 2nd, so the call link goes.
      const late = await g.subgraph({ from: '2024-03-03', to: '2024-03-31', linkTypes: ['CALLED'] });
      expect(late.links).toEqual([]);
      const lateAll = await stores.graph.subgraph({
        from: '2024-03-03',
        to: '2024-03-31',
        linkTypes: ['CALLED'],
      });
      expect(lateAll.links.map((l) => l.weight)).toEqual([3]);
      // A view naming operations reads those only, on any store; a scoped store narrows it to its own.
      const onlyB = await stores.graph.subgraph({ operations: [w.ops.b] });
      expect(onlyB.nodes.map((n) => n.id).sort()).toEqual(
        [w.e.bruno, w.e.carl, w.e.t1, w.e.t2, w.e.car].sort(),
      );
      expect((await g.subgraph({ operations: [w.ops.b] })).nodes).toEqual([]);
      // The analysis view (read workers or a view worker) carries the scope in its filter.
      const built = await buildViewOffThread(g, { filter: {} });
      expect(built.truncated).toBe(false);
      if (!built.truncated) {
        const csr = unpackView(built.view).csr;
        expect([...csr.ids].sort()).toEqual([w.e.alice, w.e.t1, w.e.t2, w.e.car].sort());
        // Its links weigh what the scope holds of them (the shared call: A's two calls), as the subgraph's.
        const weight = csr.weights.reduce((a, b) => a + b, 0) / 2;
        expect(weight).toBeCloseTo(
          sg.links.reduce((a, l) => a + l.weight, 0),
          9,
        );
      }
      const builtLate = await buildViewOffThread(g, {
        filter: { from: '2024-03-03', to: '2024-03-31', linkTypes: ['CALLED'] },
      });
      if (!builtLate.truncated) expect(unpackView(builtLate.view).csr.m).toBe(0);
      const hoodB = await stores.graph.neighbourhood([w.e.t1], {
        hops: 1,
        filter: { operations: [w.ops.b] },
      });
      expect(hoodB.nodes.map((n) => n.id).sort()).toEqual([w.e.bruno, w.e.t1, w.e.t2].sort());
      expect(hoodB.nodes.find((n) => n.id === w.e.t1)!.properties).toMatchObject({ imei: 'imeisecret77' });
    });

    it('a scope with B sees it all, as the store itself does', async () => {
      const w = await load();
      const g = w.insider;
      expect(await g.getEntity(w.e.bruno)).not.toBeNull();
      expect((await g.getEntity(w.e.t1))!.properties).toMatchObject({ imei: 'imeisecret77' });
      expect((await g.listEntities()).total).toBe(6);
      expect((await g.listLinks()).total).toBe(7); // the call link is one link in both
      expect((await g.getLink(w.l.call))!.weight).toBe(5);
      expect((await g.subgraph({})).nodes).toHaveLength(6);
      expect((await g.listEvents({ linkIds: [w.l.call], limit: 100 })).events).toHaveLength(5);
      expect((await g.shortestPaths(w.e.t1, w.e.carl))[0].nodes).toContain(w.e.bruno);
      // B alone: A-only facts hidden, the shared phone with B's properties.
      const onlyB = stores.graph.scoped({ operations: [w.ops.b] });
      expect(await onlyB.getEntity(w.e.alice)).toBeNull();
      expect((await onlyB.getEntity(w.e.car))!.properties).toEqual({ note: 'tracker fitted' });
      expect((await onlyB.getLink(w.l.call))!.weight).toBe(3);
      // Scoping a scoped store only narrows it.
      expect(await onlyB.scoped('all').getEntity(w.e.alice)).toBeNull();
      expect(await onlyB.scoped({ operations: w.dsmith }).getEntity(w.e.alice)).toBeNull();
      expect(await g.scoped({ operations: [w.ops.a] }).getEntity(w.e.bruno)).toBeNull();
      // An empty scope sees nothing.
      const none = stores.graph.scoped({ operations: [] });
      expect((await none.listEntities()).total).toBe(0);
      expect(await none.getEntity(w.e.alice)).toBeNull();
    });

    it('an edit in A keeps B’s properties from A and joins the entity to A', async () => {
      const w = await load();
      const up = await w.outsider.updateEntity(
        w.e.t1,
        { properties: { number: '07700 900001', note: 'seen' } },
        { actor: 'demo', operationId: w.ops.a },
      );
      expect(up.properties).toEqual({ number: '07700 900001', note: 'seen' });
      expect((await stores.graph.getEntity(w.e.t1))!.properties).toMatchObject({
        imei: 'imeisecret77',
        note: 'seen',
      });
      // Carl edited in A joins A: the outsider now sees him, with only what A wrote.
      const before = (await w.outsider.listLinks()).total;
      await stores.graph.updateEntity(
        w.e.carl,
        { label: 'Carl Courier' },
        { actor: 'demo', operationId: w.ops.a },
      );
      expect((await w.outsider.getEntity(w.e.carl))!.properties).toEqual({});
      // His links stay B's own; a link A records to him adds one to the outsider's total (counted again after
      // each write: the count follows the data, not a cached figure).
      expect((await w.outsider.listLinks()).total).toBe(before);
      await stores.graph.writeBatch(
        { links: [{ type: 'ASSOCIATE_OF', from: P('alice archer'), to: P('carl courier') }] },
        { actor: 'demo', operationId: w.ops.a },
      );
      // And one B records stays hidden: the total does not move.
      await stores.graph.writeBatch(
        { links: [{ type: 'ASSOCIATE_OF', from: P('bruno supplier'), to: P('alice archer') }] },
        { actor: 'dsmith', operationId: w.ops.b },
      );
      const after = await w.outsider.listLinks({ limit: 100 });
      expect([before, after.total, after.items.length]).toEqual([4, 5, 5]);
    });

    it('a merge across operations keeps each side’s facts to itself, and undoing it puts memberships back', async () => {
      const w = await load();
      const onlyB = stores.graph.scoped({ operations: [w.ops.b] });
      const m = await stores.graph.merge(w.e.alice, w.e.carl, { actor: 'dsmith', operationId: w.ops.b });
      // Alice now holds Carl's links; those were B's alone and stay hidden from A.
      const hood = await w.outsider.neighbourhood([w.e.alice], { hops: 1 });
      expect(hood.nodes.map((n) => n.id)).not.toContain(w.e.bruno);
      expect(hood.links.map((l) => l.id)).not.toContain(w.l.carlCar);
      expect((await onlyB.getEntity(w.e.alice))!.reports).toEqual([]);
      expect((await onlyB.neighbourhood([w.e.alice], { hops: 1 })).nodes.map((n) => n.id)).toContain(
        w.e.bruno,
      );
      await stores.graph.unmerge(m.id, { actor: 'dsmith' });
      expect(await onlyB.getEntity(w.e.alice)).toBeNull();
      expect(await w.outsider.getEntity(w.e.carl)).toBeNull();
      expect((await onlyB.getEntity(w.e.carl))!.label).toBe('Carl Courier');
      expect((await onlyB.getLink(w.l.carlCar))!.from).toBe(w.e.carl);
    });
  });
}

/** A's four links, read from the whole store by their ends. */
async function aLinks(graph: GraphStore, w: { e: Record<string, string>; l: Record<string, string> }) {
  const links = (await graph.listLinks({ limit: 100 })).items;
  const aEnds = new Set([w.e.alice, w.e.t1, w.e.t2, w.e.car]);
  return links
    .filter((l) => aEnds.has(l.from) && aEnds.has(l.to))
    .filter((l) => l.type !== 'CALLED' || l.id === w.l.call)
    .map((l) => l.id);
}

// Deleting, editing and merging facts several operations hold (issue 17). An open operation A and a closed
// operation B share a phone, a call link between two shared phones (each with calls of its own) and a car. A
// delete in A takes only what A holds of the fact; B's reader reads exactly what they read before, and the
// entity's properties for the system are B's alone. A delete where A is the only holder removes the fact. An
// edit in A changes A's properties; the name changes only for a writer who reads every holder. A merge never
// moves B's record into A's view. Part of stores-contract.ts; the figures are counted by hand from the batches.
import { describe, expect, it } from 'vitest';
import type { EventColumns } from '../../server/domain/events.ts';
import type { WriteBatch, WriteResult } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, P, T, freshStores, person, report, storeError } from './fixtures.ts';

const V = (key: string) => ({ type: 'Vehicle' as const, key });

function calls(link: number, times: string[]): EventColumns {
  const n = times.length;
  return {
    kind: 'call',
    count: n,
    link: Uint32Array.from(times.map(() => link)),
    atMs: Float64Array.from(times.map((t) => Date.parse(t))),
    duration: Float64Array.from(times.map(() => 60)),
    direction: new Uint8Array(n),
    place: Int32Array.from(times.map(() => -1)),
    places: [],
  };
}

const phoneIn = (num: string, props: Record<string, string>, reports?: string[]) => ({
  type: 'Phone' as const,
  label: num,
  properties: { number: num, ...props },
  ...(reports ? { reports } : {}),
});

/** A (open): Alice, her phone t1 (A's note on it), t2, the car; Alice uses t1 and t2; two calls t1-t2. */
const batchA = (): WriteBatch => ({
  reports: [report('RA-1', 2, 'B')],
  entities: [
    person('Alice Archer', { reports: ['RA-1'] }),
    phoneIn('07700 900001', { kestrelNote: 'seen at the station' }, ['RA-1']),
    phoneIn('07700 900002', {}),
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

/** B (closed): Bruno and Carl; the same phones (B's imei on t1) and car; three calls t1-t2 of its own. */
const batchB = (): WriteBatch => ({
  reports: [report('RB-1', 1, 'A')],
  entities: [
    person('Bruno Supplier', { reports: ['RB-1'] }),
    person('Carl Courier'),
    phoneIn('07700 900001', { imei: 'imeisecret77' }, ['RB-1']),
    phoneIn('07700 900002', {}),
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

export function sharedDeleteContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`shared facts: delete, edit and merge in one operation: ${name}`, () => {
    const stores = freshStores(setup);

    async function load() {
      const a = await stores.operations.create(
        { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' },
        { actor: 'demo' },
      );
      const b = await stores.operations.create(
        { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
        { actor: 'dsmith' },
      );
      const ra: WriteResult = await stores.graph.writeBatch(batchA(), { actor: 'demo', operationId: a.id });
      const rb: WriteResult = await stores.graph.writeBatch(batchB(), {
        actor: 'dsmith',
        operationId: b.id,
      });
      const [alice, t1, t2, car] = ra.entityIds;
      const [bruno] = rb.entityIds;
      const [aliceT1, aliceT2, call, aliceCar] = ra.linkIds;
      const [brunoT1, brunoCarl, , carlCar] = rb.linkIds;
      const demo = await stores.operations.readableBy('demo');
      const dsmith = await stores.operations.readableBy('dsmith');
      const inA = { actor: 'demo', operationId: a.id, readableOperations: demo };
      const inB = { actor: 'dsmith', operationId: b.id, readableOperations: dsmith };
      return {
        a: a.id,
        b: b.id,
        e: { alice, t1, t2, car, bruno },
        l: { aliceT1, aliceT2, call, aliceCar, brunoT1, brunoCarl, carlCar },
        inA,
        inB,
        onlyA: stores.graph.scoped({ operations: [a.id] }),
        onlyB: stores.graph.scoped({ operations: [b.id] }),
      };
    }
    type World = Awaited<ReturnType<typeof load>>;

    /** What a fact says, less when its row was last written (a timestamp, not a fact of anyone's). */
    const facts = <T extends { updatedAt?: string }>(x: T | null) => {
      if (!x) return x;
      const { updatedAt: _, ...rest } = x;
      return rest;
    };

    /** Everything B's reader reads of the shared part and of B's own. */
    async function bView(w: World) {
      const g = w.onlyB;
      const ents = await g.getEntities([w.e.t1, w.e.t2, w.e.car, w.e.bruno]);
      const links = await g.listLinks({ limit: 100 });
      const events = await g.listEvents({ linkIds: [w.l.call], limit: 100 });
      return {
        entities: ents.map((e) => ({ id: e.id, label: e.label, properties: e.properties })),
        t1: facts(await g.getEntity(w.e.t1)),
        call: facts(await g.getLink(w.l.call)),
        links: links.items.map((l) => [l.id, l.weight, l.firstSeen, l.lastSeen, l.grading, l.properties]),
        events: events.events.map((e) => [e.id, e.at]),
        reports: (await g.listReports()).items.map((r) => r.ref),
      };
    }

    it('a delete in A of a phone B holds too takes only A part: B reads the same, the system reads B alone', async () => {
      const w = await load();
      const before = await bView(w);
      expect(before.t1!.properties).toEqual({ number: '07700 900001', imei: 'imeisecret77' });
      const done = await stores.graph.deleteEntity(w.e.t1, w.inA);
      expect(done.operationId).toBe(w.a);
      expect(done.entities).toEqual([w.e.t1]);
      // Alice's USES link was A's alone: it goes; the call link B holds too loses A's membership and calls.
      expect([...done.links].sort()).toEqual([w.l.aliceT1, w.l.call].sort());
      expect(done.events).toBe(2);
      expect(done.reports).toHaveLength(1);
      expect(await bView(w)).toEqual(before);
      // The entity stays, whole for B; its properties (what the system reads) are B's alone now.
      const t1 = await stores.graph.getEntity(w.e.t1);
      expect(t1!.properties).toEqual({ number: '07700 900001', imei: 'imeisecret77' });
      expect(t1!.reports.map((r) => r.ref)).toEqual(['RB-1']);
      expect(await stores.graph.getLink(w.l.aliceT1)).toBeNull();
      const call = await stores.graph.getLink(w.l.call);
      expect([call!.weight, call!.firstSeen, call!.lastSeen]).toEqual([
        3,
        '2024-03-03T10:00:00Z',
        '2024-03-10T10:00:00Z',
      ]);
      expect(call!.reports.map((r) => r.ref)).toEqual(['RB-1']);
      expect((await stores.graph.listEvents({ linkIds: [w.l.call], limit: 100 })).events).toHaveLength(3);
      // A's reader no longer sees the phone, nor the links at it; the rest of A stays.
      expect(await w.onlyA.getEntity(w.e.t1)).toBeNull();
      expect(await w.onlyA.getLink(w.l.call)).toBeNull();
      expect(await w.onlyA.getEntity(w.e.alice)).not.toBeNull();
      expect(await w.onlyA.getLink(w.l.aliceT2)).not.toBeNull();
      // Deleting it again in A: A holds nothing of it.
      await storeError(stores.graph.deleteEntity(w.e.t1, w.inA), 'conflict');
    });

    it('the notice on a subject A leaves is resolved with a left step; it is new again when A holds it again', async () => {
      const w = await load();
      const onT1 = async () => (await stores.deconfliction.list({ entityId: w.e.t1 })).items;
      const [notice] = await onT1();
      expect([notice.newOpId, notice.heldOpId, notice.state]).toEqual([w.b, w.a, 'new']);
      await stores.deconfliction.decide(notice.id, { state: 'contacted' }, { actor: 'desk' });
      await stores.graph.deleteEntity(w.e.t1, w.inA);
      const [left] = await onT1();
      expect(left.state).toBe('resolved');
      const steps = await stores.deconfliction.events(notice.id);
      expect(steps.map((e) => [e.action, e.actor])).toEqual([
        ['created', 'dsmith'],
        ['contacted', 'desk'],
        ['left', 'demo'],
      ]);
      expect(steps[2].note).toBe(`${w.a} no longer holds the subject`);
      // The other subjects A and B share keep their notices as they were.
      const t2 = (await stores.deconfliction.list({ entityId: w.e.t2 })).items;
      expect(t2.map((n) => n.state)).toEqual(['new']);
      // A notice the desk resolved itself is not reopened by a later write; one the store closed is.
      await stores.graph.writeBatch(batchA(), { actor: 'demo', operationId: w.a });
      const again = await onT1();
      expect(again.map((n) => [n.id, n.state])).toEqual([[notice.id, 'new']]);
      expect((await stores.deconfliction.events(notice.id)).map((e) => e.action)).toEqual([
        'created',
        'contacted',
        'left',
        'rejoined',
      ]);
      expect((await stores.deconfliction.unaudited(100)).map((n) => n.id)).toContain(notice.id);
      await stores.deconfliction.decide(notice.id, { state: 'resolved' }, { actor: 'desk' });
      await stores.graph.writeBatch(batchA(), { actor: 'demo', operationId: w.a });
      expect((await onT1()).map((n) => n.state)).toEqual(['resolved']);
    });

    it('a delete where A is the only holder removes the entity and its links, as before operations', async () => {
      const w = await load();
      const before = await bView(w);
      const done = await stores.graph.deleteEntity(w.e.alice, w.inA);
      expect(done.entities).toEqual([w.e.alice]);
      expect([...done.links].sort()).toEqual([w.l.aliceT1, w.l.aliceT2, w.l.aliceCar].sort());
      expect(Object.keys(done).sort()).toEqual(['entities', 'events', 'links', 'operationId', 'reports']);
      expect(await stores.graph.getEntity(w.e.alice)).toBeNull();
      expect(await stores.graph.getLink(w.l.aliceT1)).toBeNull();
      expect(await bView(w)).toEqual(before);
      // B deletes its own Bruno: gone whole; A's reads never had him.
      await stores.graph.deleteEntity(w.e.bruno, w.inB);
      expect(await stores.graph.getEntity(w.e.bruno)).toBeNull();
      expect(await stores.graph.getLink(w.l.brunoCarl)).toBeNull();
    });

    it('a delete in an operation that does not hold the fact is refused, and changes nothing', async () => {
      const w = await load();
      await storeError(stores.graph.deleteEntity(w.e.bruno, w.inA), 'conflict');
      await storeError(stores.graph.deleteLink(w.l.brunoCarl, w.inA), 'conflict');
      expect(await stores.graph.getEntity(w.e.bruno)).not.toBeNull();
      expect(await stores.graph.getLink(w.l.brunoCarl)).not.toBeNull();
    });

    it('a delete of a shared link in A drops A part; B keeps the link with its own calls; sole ones go', async () => {
      const w = await load();
      const before = await bView(w);
      const done = await stores.graph.deleteLink(w.l.call, w.inA);
      expect([done.links, done.events, done.entities]).toEqual([[w.l.call], 2, []]);
      expect(await bView(w)).toEqual(before);
      expect(await w.onlyA.getLink(w.l.call)).toBeNull();
      expect((await stores.graph.getLink(w.l.call))!.weight).toBe(3);
      // Both phones stay in A: only the link left it.
      expect(await w.onlyA.getEntity(w.e.t1)).not.toBeNull();
      await stores.graph.deleteLink(w.l.aliceCar, w.inA);
      expect(await stores.graph.getLink(w.l.aliceCar)).toBeNull();
      expect(await bView(w)).toEqual(before);
    });

    it('an edit in A changes A properties only; B reads the same; the name is refused while B is unread', async () => {
      const w = await load();
      const before = await bView(w);
      const edited = await w.onlyA.updateEntity(
        w.e.t1,
        { properties: { number: '07700 900001', kestrelNote: 'moved to the north' } },
        w.inA,
      );
      expect(edited.properties).toEqual({ number: '07700 900001', kestrelNote: 'moved to the north' });
      expect(await bView(w)).toEqual(before);
      // The name is the same in every operation: not changed by a writer who cannot read B, and the whole
      // edit is refused (nothing of it is written).
      await storeError(
        stores.graph.updateEntity(w.e.t1, { label: 'Burner', properties: { x: '1' } }, w.inA),
        'conflict',
      );
      expect((await w.onlyA.getEntity(w.e.t1))!.properties).toEqual(edited.properties);
      await storeError(stores.graph.updateEntity(w.e.t1, { reviewDate: '2030-01-01' }, w.inA), 'conflict');
      // A's report may be attached; B's is one that does not exist for A's writer.
      await storeError(stores.graph.updateEntity(w.e.t2, { addReports: ['RB-1'] }, w.inA), 'invalid');
      // A link B holds too keeps its weight and properties unless the writer reads B.
      await storeError(stores.graph.updateLink(w.l.call, { weight: 9 }, w.inA), 'conflict');
      expect(await bView(w)).toEqual(before);
      // An entity only A holds is renamed as ever; one whose holders all read by the writer is too.
      expect((await stores.graph.updateEntity(w.e.alice, { label: 'Alice Archer-Smith' }, w.inA)).label).toBe(
        'Alice Archer-Smith',
      );
      const renamed = await stores.graph.updateEntity(w.e.t1, { label: '07700 900001 (burner)' }, w.inB);
      expect(renamed.label).toBe('07700 900001 (burner)');
    });

    it('a merge never folds B record into A view, and needs a merger who reads every holder', async () => {
      const w = await load();
      // Two people only A holds, each using t2: merging would fold one USES link into the other, both A's: fine.
      const extra = await stores.graph.writeBatch(
        {
          entities: [person('Alicia Archer')],
          links: [{ type: 'USES', from: P('alicia archer'), to: T('+447700900002') }],
        },
        { actor: 'demo', operationId: w.a },
      );
      const merged = await stores.graph.merge(w.e.alice, extra.entityIds[0], w.inA);
      expect(merged.keptId).toBe(w.e.alice);
      // A phone B also holds cannot be merged by A's writer.
      const spare = await stores.graph.writeBatch(
        { entities: [phoneIn('07700 900003', {})] },
        { actor: 'demo', operationId: w.a },
      );
      await storeError(stores.graph.merge(spare.entityIds[0], w.e.t1, w.inA), 'conflict');
      // Bruno (B) and Alice (A) both USE t1 in their own operation's record: even a writer reading both may
      // not fold B's link into A's (A's readers would read B's record of it).
      await storeError(stores.graph.merge(w.e.alice, w.e.bruno, w.inB), 'conflict');
      expect(await w.onlyA.getEntity(w.e.bruno)).toBeNull();
      expect((await stores.graph.getLink(w.l.brunoT1))!.from).toBe(w.e.bruno);
    });
  });
}

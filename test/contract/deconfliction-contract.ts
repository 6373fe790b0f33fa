// The DeconflictionStore contract: a write that brings a subject another operation holds into its own leaves
// one notice per (entity, incoming operation, holding operation) in the same transaction, and the sides work
// it forward with every step kept. Part of stores-contract.ts, so it runs on both stores.
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../server/domain/operations.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, freshStores, P, person, phone, storeError, T } from './fixtures.ts';

/** The supplier network of a closed operation: two phones and a vehicle it shares with the open one. */
const supplier = (): WriteBatch => ({
  entities: [
    person('Victor Hale', { key: 'vh' }),
    phone('07700 900101'),
    phone('07700 900102'),
    { type: 'Vehicle', label: 'KX19 ABC', properties: { vrm: 'KX19ABC' } },
    phone('07700 900199'),
  ],
  links: [
    { type: 'USES', from: P('vh'), to: T('+447700900101') },
    { type: 'USES', from: P('vh'), to: T('+447700900199') },
  ],
});

/** What the open operation's file brings in: the two shared phones and people of its own. */
const countyLines = (): WriteBatch => ({
  entities: [
    person('Dean Rowe', { key: 'dr' }),
    phone('07700 900101'),
    phone('07700 900102'),
    phone('07700 900555'),
  ],
  links: [
    { type: 'USES', from: P('dr'), to: T('+447700900101') },
    { type: 'CALLED', from: T('+447700900102'), to: T('+447700900555') },
  ],
});

export function deconflictionContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`DeconflictionStore contract: ${name}`, () => {
    const stores = freshStores(setup);
    let open: Operation;
    let closed: Operation;

    /** KESTREL (open, owner anna) and HALYARD (closed, owner dsmith) holding the supplier network. */
    async function twoOperations(): Promise<Record<string, string>> {
      open = await stores.operations.create(
        { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' },
        { actor: 'anna' },
      );
      closed = await stores.operations.create(
        { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
        { actor: 'dsmith' },
      );
      const r = await stores.graph.writeBatch(supplier(), { actor: 'dsmith', operationId: closed.id });
      const ids: Record<string, string> = {};
      supplier().entities!.forEach((e, i) => (ids[e.label] = r.entityIds[i]));
      return ids;
    }

    it('a write bringing in subjects another operation holds leaves one notice each, in its transaction', async () => {
      const ids = await twoOperations();
      expect((await stores.deconfliction.list()).total).toBe(0);
      await stores.graph.writeBatch(countyLines(), { actor: 'anna', operationId: open.id });
      const page = await stores.deconfliction.list();
      expect(page.total).toBe(2);
      expect(page.items.map((n) => n.entityId).sort()).toEqual(
        [ids['07700 900101'], ids['07700 900102']].sort(),
      );
      for (const n of page.items) {
        expect(n).toMatchObject({ newOpId: open.id, heldOpId: closed.id, state: 'new', disclose: false });
        expect(n.id).toMatch(/^dn\d+$/);
        expect(await stores.deconfliction.get(n.id)).toEqual(n);
        expect(await stores.deconfliction.events(n.id)).toEqual([
          { noticeId: n.id, actor: 'anna', at: n.createdAt, action: 'created', note: null },
        ]);
      }
      // The same file again, or the holder writing its own again, shares nothing new.
      await stores.graph.writeBatch(countyLines(), { actor: 'anna', operationId: open.id });
      await stores.graph.writeBatch(supplier(), { actor: 'dsmith', operationId: closed.id });
      expect((await stores.deconfliction.list()).total).toBe(2);
    });

    it('a write that fails leaves no notice; a third operation gets one per operation holding it', async () => {
      const ids = await twoOperations();
      const bad: WriteBatch = {
        entities: [phone('07700 900101')],
        links: [{ type: 'USES', from: P('nobody'), to: T('+447700900101') }],
      };
      await expect(stores.graph.writeBatch(bad, { actor: 'anna', operationId: open.id })).rejects.toThrow();
      expect((await stores.deconfliction.list()).total).toBe(0);
      await stores.graph.writeBatch(countyLines(), { actor: 'anna', operationId: open.id });
      const third = await stores.operations.create(
        { ref: 'OSPREY', name: 'Third', sensitivity: 'open' },
        { actor: 'olly' },
      );
      await stores.graph.writeBatch(
        { entities: [phone('07700 900101')] },
        { actor: 'olly', operationId: third.id },
      );
      const mine = await stores.deconfliction.list({ operations: [third.id] });
      expect(mine.items.map((n) => [n.entityId, n.newOpId, n.heldOpId]).sort()).toEqual(
        [
          [ids['07700 900101'], third.id, open.id],
          [ids['07700 900101'], third.id, closed.id],
        ].sort(),
      );
    });

    it('lists by operation, state and entity, oldest first, a page at a time', async () => {
      const ids = await twoOperations();
      await stores.graph.writeBatch(countyLines(), { actor: 'anna', operationId: open.id });
      const other = await stores.operations.create(
        { ref: 'WREN', name: 'Unrelated', sensitivity: 'closed' },
        { actor: 'wendy' },
      );
      expect((await stores.deconfliction.list({ operations: [open.id] })).total).toBe(2);
      expect((await stores.deconfliction.list({ operations: [closed.id] })).total).toBe(2);
      expect((await stores.deconfliction.list({ operations: [other.id] })).total).toBe(0);
      expect((await stores.deconfliction.list({ operations: [] })).total).toBe(0);
      expect((await stores.deconfliction.list({ entityId: ids['07700 900102'] })).total).toBe(1);
      const all = await stores.deconfliction.list();
      await stores.deconfliction.decide(all.items[1].id, { state: 'contacted' }, { actor: 'anna' });
      expect((await stores.deconfliction.list({ state: 'new' })).items.map((n) => n.id)).toEqual([
        all.items[0].id,
      ]);
      expect((await stores.deconfliction.list({ state: 'contacted' })).total).toBe(1);
      const first = await stores.deconfliction.list({ limit: 1 });
      const second = await stores.deconfliction.list({ limit: 1, offset: 1 });
      expect([first.items[0].id, second.items[0].id]).toEqual(all.items.map((n) => n.id));
      expect(Number(all.items[0].id.slice(2))).toBeLessThan(Number(all.items[1].id.slice(2)));
    });

    it('moves a notice forward only, keeping each step with its actor and time', async () => {
      await twoOperations();
      await stores.graph.writeBatch(countyLines(), { actor: 'anna', operationId: open.id });
      const n = (await stores.deconfliction.list()).items[0];
      const c = await stores.deconfliction.decide(
        n.id,
        { state: 'contacted', note: 'Spoke to the desk' },
        { actor: 'anna' },
      );
      expect(c).toMatchObject({ id: n.id, state: 'contacted', disclose: false });
      expect(c.updatedAt >= n.updatedAt).toBe(true);
      await storeError(stores.deconfliction.decide(n.id, { state: 'new' }, { actor: 'anna' }), 'conflict');
      await storeError(
        stores.deconfliction.decide(n.id, { state: 'contacted' }, { actor: 'anna' }),
        'conflict',
      );
      await stores.deconfliction.decide(n.id, { note: 'Meeting booked' }, { actor: 'dsmith' });
      const r = await stores.deconfliction.decide(n.id, { state: 'resolved' }, { actor: 'dsmith' });
      expect(r.state).toBe('resolved');
      expect(await stores.deconfliction.get(n.id)).toEqual(r);
      const steps = await stores.deconfliction.events(n.id);
      expect(steps.map((e) => [e.action, e.actor, e.note])).toEqual([
        ['created', 'anna', null],
        ['contacted', 'anna', 'Spoke to the desk'],
        ['note', 'dsmith', 'Meeting booked'],
        ['resolved', 'dsmith', null],
      ]);
      for (const e of steps) expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      await storeError(stores.deconfliction.decide(n.id, {}, { actor: 'anna' }), 'invalid');
      await storeError(
        stores.deconfliction.decide(n.id, { state: 'closed' as never }, { actor: 'anna' }),
        'invalid',
      );
      await storeError(
        stores.deconfliction.decide('dn999999', { note: 'x' }, { actor: 'anna' }),
        'not_found',
      );
      await storeError(stores.deconfliction.decide('e1', { note: 'x' }, { actor: 'anna' }), 'not_found');
      await storeError(stores.deconfliction.events('dn999999'), 'not_found');
      expect(await stores.deconfliction.get('dn999999')).toBeNull();
      expect(await stores.deconfliction.get('nonsense')).toBeNull();
    });

    it('only the closed operation’s owner discloses it, and may withdraw that', async () => {
      await twoOperations();
      await stores.graph.writeBatch(countyLines(), { actor: 'anna', operationId: open.id });
      const n = (await stores.deconfliction.list()).items[0];
      await storeError(stores.deconfliction.decide(n.id, { disclose: true }, { actor: 'anna' }), 'invalid');
      expect((await stores.deconfliction.get(n.id))!.disclose).toBe(false);
      expect(
        (await stores.deconfliction.decide(n.id, { disclose: true }, { actor: 'dsmith' })).disclose,
      ).toBe(true);
      // Asked again: nothing changes and no step is logged.
      await stores.deconfliction.decide(n.id, { disclose: true }, { actor: 'dsmith' });
      expect(
        (await stores.deconfliction.decide(n.id, { disclose: false }, { actor: 'dsmith' })).disclose,
      ).toBe(false);
      expect((await stores.deconfliction.events(n.id)).map((e) => [e.action, e.actor])).toEqual([
        ['created', 'anna'],
        ['disclosed', 'dsmith'],
        ['withdrawn', 'dsmith'],
      ]);
      // Between two open operations there is nothing to disclose.
      const third = await stores.operations.create(
        { ref: 'OSPREY', name: 'Third', sensitivity: 'open' },
        { actor: 'olly' },
      );
      await stores.graph.writeBatch(
        { entities: [phone('07700 900555')] },
        { actor: 'olly', operationId: third.id },
      );
      const both = (await stores.deconfliction.list({ operations: [third.id] })).items[0];
      expect(both.heldOpId).toBe(open.id);
      await storeError(
        stores.deconfliction.decide(both.id, { disclose: true }, { actor: 'anna' }),
        'invalid',
      );
    });

    it('hands each notice to the audit sweep once', async () => {
      await twoOperations();
      await stores.graph.writeBatch(countyLines(), { actor: 'anna', operationId: open.id });
      const waiting = await stores.deconfliction.unaudited(10);
      expect(waiting.map((n) => n.id)).toEqual((await stores.deconfliction.list()).items.map((n) => n.id));
      await stores.deconfliction.markAudited([waiting[0].id]);
      expect((await stores.deconfliction.unaudited(10)).map((n) => n.id)).toEqual([waiting[1].id]);
      await stores.deconfliction.markAudited([waiting[1].id, 'nonsense']);
      expect(await stores.deconfliction.unaudited(10)).toEqual([]);
    });
  });
}

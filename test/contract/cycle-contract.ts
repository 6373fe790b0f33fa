// The CycleStore contract: what every store's saveTarget/getTarget/listTargets/appendTargetAction must do.
// Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import type { TargetRecord } from '../../server/domain/target.ts';
import { StoreError } from '../../server/store/common.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, freshStores } from './fixtures.ts';

const ctx = { actor: 'ana' };

/** A target proposal as the Cycle page makes one (also the transfer tests' target). */
export function proposal(entityId: string, over: Partial<TargetRecord> = {}): TargetRecord {
  return {
    entityId,
    entityLabel: 'Dean Cole',
    entityType: 'Person',
    reason: 'Broker between the two supply lines',
    analysis: {
      metric: 'betweenness',
      score: 0.42,
      rank: 1,
      view: { from: '2024-01-01', to: '2024-06-30', entityTypes: ['Person', 'Phone'] },
      dataVersion: 7,
      predictedEffect: { lccShareBefore: 1, lccShareAfter: 0.55, componentsBefore: 1, componentsAfter: 3 },
    },
    status: 'proposed',
    proposedBy: 'ana',
    proposedAt: '2024-07-01T09:00:00.000Z',
    decision: null,
    review: null,
    ...over,
  };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof StoreError ? e.code : `not a StoreError: ${String(e)}`;
  }
}

export function cycleContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`CycleStore contract: ${name}`, () => {
    const stores = freshStores(setup);

    describe('targets', () => {
      it('saves, reads back and lists targets newest first, without moving the data version', async () => {
        const v0 = await stores.graph.dataVersion();
        const a = await stores.cycle.saveTarget(proposal('e1'), ctx);
        const b = await stores.cycle.saveTarget(
          proposal('e2', { entityLabel: 'Kerry Moss', entityType: 'Phone' }),
          ctx,
        );
        expect(a.id).not.toBe(b.id);
        expect(a).toMatchObject({
          status: 'proposed',
          version: 1,
          actions: [],
          decision: null,
          review: null,
        });
        expect(a.analysis).toEqual(proposal('e1').analysis);
        expect(await stores.cycle.getTarget(a.id)).toEqual(a);
        const page = await stores.cycle.listTargets();
        expect(page.total).toBe(2);
        expect(page.items.map((t) => t.id)).toEqual([b.id, a.id]);
        expect((await stores.cycle.listTargets({ entityId: 'e2' })).items.map((t) => t.id)).toEqual([b.id]);
        expect((await stores.cycle.listTargets({ status: 'approved' })).total).toBe(0);
        expect((await stores.cycle.listTargets({ limit: 1, offset: 1 })).items.map((t) => t.id)).toEqual([
          a.id,
        ]);
        expect(await stores.graph.dataVersion()).toBe(v0);
        expect(await stores.cycle.getTarget('t999999')).toBeNull();
        expect(await stores.cycle.getTarget('nonsense')).toBeNull();
      });

      it('updates with optimistic versions and refuses a stale one', async () => {
        const a = await stores.cycle.saveTarget(proposal('e1'), ctx);
        const decided = await stores.cycle.saveTarget(
          {
            ...proposal('e1'),
            id: a.id,
            status: 'approved',
            decision: {
              decision: 'approved',
              reason: 'Proportionate',
              by: 'sam',
              at: '2024-07-02T10:00:00.000Z',
            },
          },
          { actor: 'sam' },
          { expectedVersion: 1 },
        );
        expect(decided).toMatchObject({ id: a.id, status: 'approved', version: 2 });
        expect(decided.decision).toEqual({
          decision: 'approved',
          reason: 'Proportionate',
          by: 'sam',
          at: '2024-07-02T10:00:00.000Z',
        });
        expect(
          await code(
            stores.cycle.saveTarget({ ...proposal('e1'), id: a.id, status: 'rejected' }, ctx, {
              expectedVersion: 1,
            }),
          ),
        ).toBe('conflict');
        expect((await stores.cycle.getTarget(a.id))!.status).toBe('approved');
        expect(await code(stores.cycle.saveTarget({ ...proposal('e1'), id: 't424242' }, ctx))).toBe(
          'not_found',
        );
      });

      it('refuses invalid records and writes nothing', async () => {
        expect(await code(stores.cycle.saveTarget(proposal('e1', { reason: ' ' }), ctx))).toBe('invalid');
        expect(
          await code(stores.cycle.saveTarget(proposal('e1', { entityType: 'Event' as 'Person' }), ctx)),
        ).toBe('invalid');
        const bad = proposal('e1');
        bad.analysis = { ...bad.analysis, dataVersion: -1 };
        expect(await code(stores.cycle.saveTarget(bad, ctx))).toBe('invalid');
        expect(
          await code(stores.cycle.saveTarget(proposal('e1', { status: 'done' as 'proposed' }), ctx)),
        ).toBe('invalid');
        expect((await stores.cycle.listTargets()).total).toBe(0);
      });

      it('appends actions only to approved targets, marks them actioned, keeps the log in date order', async () => {
        const a = await stores.cycle.saveTarget(proposal('e1'), ctx);
        expect(
          await code(stores.cycle.appendTargetAction(a.id, { kind: 'arrest', date: '2024-07-05' }, ctx)),
        ).toBe('conflict');
        await stores.cycle.saveTarget({ ...proposal('e1'), id: a.id, status: 'approved' }, ctx);
        const one = await stores.cycle.appendTargetAction(
          a.id,
          { kind: 'warrant', date: '2024-07-06', outcome: 'Executed' },
          ctx,
        );
        expect(one.status).toBe('actioned');
        expect(one.version).toBe(3);
        const two = await stores.cycle.appendTargetAction(
          a.id,
          { kind: 'arrest', date: '2024-07-05', outcome: 'Charged with supply' },
          { actor: 'bob' },
        );
        expect(two.actions.map((x) => [x.kind, x.date, x.outcome, x.actor])).toEqual([
          ['arrest', '2024-07-05', 'Charged with supply', 'bob'],
          ['warrant', '2024-07-06', 'Executed', 'ana'],
        ]);
        expect(two.actions.every((x) => x.targetId === a.id && x.id && x.recordedAt)).toBe(true);
        expect((await stores.cycle.listTargets()).items[0].actions).toHaveLength(2);
        expect(
          await code(
            stores.cycle.appendTargetAction(a.id, { kind: 'raid' as 'arrest', date: '2024-07-05' }, ctx),
          ),
        ).toBe('invalid');
        expect(await code(stores.cycle.appendTargetAction(a.id, { kind: 'arrest', date: 'soon' }, ctx))).toBe(
          'invalid',
        );
        expect(
          await code(stores.cycle.appendTargetAction('t999999', { kind: 'arrest', date: '2024-07-05' }, ctx)),
        ).toBe('not_found');
        expect((await stores.cycle.getTarget(a.id))!.actions).toHaveLength(2);
        const reviewed = await stores.cycle.saveTarget(
          {
            ...proposal('e1'),
            id: a.id,
            status: 'reviewed',
            review: {
              summary: 'Re-formed around a successor',
              before: '2024-01-01..2024-06-30',
              after: null,
              by: 'ana',
              at: '2024-12-01T00:00:00.000Z',
            },
          },
          ctx,
          { expectedVersion: two.version },
        );
        expect(reviewed.review).toMatchObject({ summary: 'Re-formed around a successor', after: null });
        expect(reviewed.actions).toHaveLength(2);
        // A conflict on an action refused for a reviewed target.
        expect(
          await code(stores.cycle.appendTargetAction(a.id, { kind: 'seizure', date: '2024-12-02' }, ctx)),
        ).toBe('conflict');
      });
    });

    describe('by operation', () => {
      const inA = { ...ctx, operationId: 'op2' };
      const inB = { ...ctx, operationId: 'op3' };

      it('a target belongs to the operation it was proposed in; a scoped store lists, reads and changes only its own', async () => {
        const a = await stores.cycle.saveTarget(proposal('e1'), inA);
        const b = await stores.cycle.saveTarget(proposal('e2'), inB);
        const g = await stores.cycle.saveTarget(proposal('e3'), ctx);
        expect([a.operationId, b.operationId, g.operationId]).toEqual(['op2', 'op3', 'op1']);
        const onlyA = stores.cycle.scoped({ operations: ['op2'] });
        expect((await onlyA.listTargets()).items.map((t) => t.id)).toEqual([a.id]);
        expect((await onlyA.listTargets()).total).toBe(1);
        expect((await onlyA.listTargets({ entityId: 'e2' })).total).toBe(0);
        expect(await onlyA.getTarget(b.id)).toBeNull();
        expect((await onlyA.getTarget(a.id))?.entityId).toBe('e1');
        // Outside the scope is absent for changes too (decision, action), and nothing changes.
        expect(await code(onlyA.saveTarget({ ...proposal('e2'), id: b.id, status: 'approved' }, inA))).toBe(
          'not_found',
        );
        await stores.cycle.saveTarget({ ...proposal('e2'), id: b.id, status: 'approved' }, inB);
        expect(await code(onlyA.appendTargetAction(b.id, { kind: 'arrest', date: '2024-07-05' }, inA))).toBe(
          'not_found',
        );
        expect((await stores.cycle.getTarget(b.id))!.actions).toHaveLength(0);
        // A decision made under another working operation keeps the target where it was proposed.
        const decided = await stores.cycle.saveTarget(
          { ...proposal('e1'), id: a.id, status: 'approved' },
          inB,
        );
        expect(decided.operationId).toBe('op2');
        // Its actions follow it: read with it in its scope, absent with it outside.
        await onlyA.appendTargetAction(a.id, { kind: 'warrant', date: '2024-07-06' }, inA);
        expect((await onlyA.listTargets()).items[0].actions.map((x) => x.kind)).toEqual(['warrant']);
        const onlyB = stores.cycle.scoped({ operations: ['op3'] });
        expect((await onlyB.listTargets({ status: 'actioned' })).total).toBe(0);
        // GENERAL's (a write naming no operation), both, none; the unscoped store reads all.
        expect(
          (await stores.cycle.scoped({ operations: ['op1'] }).listTargets()).items.map((t) => t.id),
        ).toEqual([g.id]);
        expect((await stores.cycle.scoped({ operations: ['op2', 'op3'] }).listTargets()).total).toBe(2);
        expect((await stores.cycle.scoped({ operations: [] }).listTargets()).total).toBe(0);
        expect((await stores.cycle.listTargets()).total).toBe(3);
        expect(stores.cycle.scoped('all')).toBe(stores.cycle);
      });
    });
  });
}

// The SecurityStore contract: users, and the audit (append-only, hash-chained, appended one by one or in
// batches). Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, freshStores, loadNetwork, storeError } from './fixtures.ts';

export function securityContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  const hooks = setup.hooks ?? {};
  describe(`SecurityStore contract: ${name}`, () => {
    const stores = freshStores(setup);

    describe('users', () => {
      it('creates, updates and lists users; names are unique', async () => {
        const u = await stores.security.createUser({ name: 'analyst1', role: 'analyst', passwordHash: 'h1' });
        expect(u).toMatchObject({ name: 'analyst1', role: 'analyst', passwordHash: 'h1', disabled: false });
        await storeError(
          stores.security.createUser({ name: 'analyst1', role: 'viewer', passwordHash: 'h2' }),
          'conflict',
        );
        await storeError(
          stores.security.createUser({ name: 'x', role: 'god' as 'admin', passwordHash: 'h' }),
          'invalid',
        );
        const up = await stores.security.updateUser(u.id, { role: 'supervisor', disabled: true });
        expect(up).toMatchObject({ role: 'supervisor', disabled: true, passwordHash: 'h1' });
        expect(await stores.security.getUserByName('analyst1')).toEqual(up);
        expect(await stores.security.getUser(u.id)).toEqual(up);
        expect((await stores.security.listUsers()).total).toBe(1);
      });

      it('unknown ids: reads give null; writes say not_found', async () => {
        await loadNetwork(stores.graph);
        expect(await stores.security.getUser('no-such-id')).toBeNull();
        expect(await stores.security.getUserByName('nobody')).toBeNull();
        await storeError(stores.security.updateUser('no-such-id', { disabled: true }), 'not_found');
      });
    });

    describe('audit', () => {
      it('appends a hash chain that verifies, filters, and cannot be altered', async () => {
        for (let i = 0; i < 5; i++) {
          await stores.security.appendAudit({
            actor: i % 2 ? 'alice' : 'bob',
            action: 'entity.read',
            route: '/api/entities/:id',
            objectIds: [`obj-${i}`],
            outcome: 'ok',
            details: { i, nested: { b: 2, a: 1 } },
            ...(i === 3 ? { justification: 'case 42', recipient: 'CPS' } : {}),
          });
        }
        const all = await stores.security.listAudit({ limit: 100 });
        expect(all.total).toBe(5);
        expect(all.items.map((e) => e.seq)).toEqual([...all.items.map((e) => e.seq)].sort((a, b) => a - b));
        expect(verifyAuditChain(all.items)).toBeNull();
        expect(all.items[3]).toMatchObject({ justification: 'case 42', recipient: 'CPS', details: { i: 3 } });
        expect((await stores.security.listAudit({ actor: 'alice' })).total).toBe(2);
        expect(
          (await stores.security.listAudit({ objectId: 'obj-4' })).items.map((e) => e.objectIds),
        ).toEqual([['obj-4']]);
        const tampered = all.items.map((e, i) => (i === 2 ? { ...e, actor: 'mallory' } : e));
        expect(verifyAuditChain(tampered)).toMatchObject({ seq: all.items[2].seq });
        if (hooks.tamperAudit) {
          await expect(hooks.tamperAudit(stores, all.items[2].seq)).rejects.toThrow();
          expect(verifyAuditChain((await stores.security.listAudit({ limit: 100 })).items)).toBeNull();
        }
        await storeError(stores.security.appendAudit({ actor: '', action: 'x', outcome: 'ok' }), 'invalid');
      });

      it('appends a batch in one go, chained in order after what is there; a bad record writes none', async () => {
        const first = await stores.security.appendAudit({ actor: 'ana', action: 'login', outcome: 'ok' });
        expect(await stores.security.appendAuditBatch([])).toEqual([]);
        const batch = await stores.security.appendAuditBatch(
          [0, 1, 2].map((i) => ({
            actor: `user${i}`,
            action: 'expand',
            objectIds: [`e${i}`],
            outcome: 'ok' as const,
            details: { i, z: { y: 1, x: [2, 3] } },
          })),
        );
        expect(batch.map((e) => e.actor)).toEqual(['user0', 'user1', 'user2']);
        expect(batch.map((e) => e.seq)).toEqual([first.seq + 1, first.seq + 2, first.seq + 3]);
        expect(batch[0].prevHash).toBe(first.hash);
        const after = await stores.security.appendAudit({ actor: 'ana', action: 'logout', outcome: 'ok' });
        expect(after.prevHash).toBe(batch[2].hash);
        const all = await stores.security.listAudit({ limit: 100 });
        // What the batch returned is what was stored, and the whole chain still verifies.
        expect(all.items.slice(1, 4)).toEqual(batch);
        expect(verifyAuditChain(all.items)).toBeNull();

        const bad = stores.security.appendAuditBatch([
          { actor: 'ok', action: 'read', outcome: 'ok' },
          { actor: 'ok', action: 'read', outcome: 'maybe' as 'ok' },
        ]);
        const err = await storeError(bad, 'invalid');
        expect(err.path?.[0]).toBe(1);
        expect((await stores.security.listAudit({ limit: 100 })).total).toBe(5);
      });
    });
  });
}

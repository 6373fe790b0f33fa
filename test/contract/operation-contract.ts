// The OperationStore contract: operations and their members, who may read which (every open operation and
// the closed ones a user is a member of; the global role opens none), and that the GENERAL operation exists
// and holds unscoped writes. Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATION_REF } from '../../server/domain/operations.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, freshStores, storeError } from './fixtures.ts';

const as = (actor: string) => ({ actor });

export function operationContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`OperationStore contract: ${name}`, () => {
    const stores = freshStores(setup);

    it('has the open GENERAL operation from the start, found by id and by ref', async () => {
      const g = await stores.operations.defaultOperation();
      expect(g).toMatchObject({ ref: DEFAULT_OPERATION_REF, sensitivity: 'open', state: 'active' });
      expect(g.id).toMatch(/^op\d+$/);
      expect(await stores.operations.get(g.id)).toEqual(g);
      expect(await stores.operations.getByRef('general')).toEqual(g);
      expect((await stores.operations.list()).items).toEqual([g]);
    });

    it('creates an operation owned by its creator, who is its owner member; refs are unique ignoring case', async () => {
      const op = await stores.operations.create(
        { ref: ' kestrel ', name: 'County lines', sensitivity: 'open' },
        as('dsmith'),
      );
      expect(op).toMatchObject({ ref: 'KESTREL', name: 'County lines', owner: 'dsmith', state: 'active' });
      expect(await stores.operations.listMembers(op.id)).toEqual([
        expect.objectContaining({ operationId: op.id, user: 'dsmith', role: 'owner', addedBy: 'dsmith' }),
      ]);
      await storeError(
        stores.operations.create({ ref: 'Kestrel', name: 'Again', sensitivity: 'closed' }, as('x')),
        'conflict',
      );
      await storeError(
        stores.operations.create({ ref: 'K', name: 'Too short', sensitivity: 'open' }, as('x')),
        'invalid',
      );
      await storeError(
        stores.operations.create({ ref: 'BAD REF!', name: 'Spaces', sensitivity: 'open' }, as('x')),
        'invalid',
      );
      const refs = (await stores.operations.list()).items.map((o) => o.ref);
      expect(refs).toEqual(['GENERAL', 'KESTREL']);
    });

    it('reads open operations for everyone and closed ones for their members only', async () => {
      const g = await stores.operations.defaultOperation();
      const open = await stores.operations.create(
        { ref: 'KESTREL', name: 'K', sensitivity: 'open' },
        as('a'),
      );
      const closed = await stores.operations.create(
        { ref: 'HALYARD', name: 'H', sensitivity: 'closed' },
        as('dsmith'),
      );
      expect((await stores.operations.readableBy('someone')).sort()).toEqual([g.id, open.id].sort());
      expect((await stores.operations.readableBy('dsmith')).sort()).toEqual(
        [g.id, open.id, closed.id].sort(),
      );
      await stores.operations.setMember(closed.id, 'someone', 'viewer', as('dsmith'));
      expect(await stores.operations.readableBy('someone')).toContain(closed.id);
      expect((await stores.operations.membershipsOf('someone')).map((m) => [m.operationId, m.role])).toEqual([
        [closed.id, 'viewer'],
      ]);
      // A role changes in place; removing the member closes the operation to them again.
      const m = await stores.operations.setMember(closed.id, 'someone', 'analyst', as('dsmith'));
      expect(m).toMatchObject({ role: 'analyst', user: 'someone', operationId: closed.id });
      expect((await stores.operations.listMembers(closed.id)).map((x) => [x.user, x.role])).toEqual([
        ['dsmith', 'owner'],
        ['someone', 'analyst'],
      ]);
      await stores.operations.removeMember(closed.id, 'someone', as('dsmith'));
      expect(await stores.operations.readableBy('someone')).not.toContain(closed.id);
      // Closing an open operation closes it to non-members.
      await stores.operations.update(open.id, { sensitivity: 'closed' }, as('a'));
      expect(await stores.operations.readableBy('someone')).toEqual([g.id]);
      expect((await stores.operations.list({ ids: [open.id, closed.id] })).items.map((o) => o.ref)).toEqual([
        'HALYARD',
        'KESTREL',
      ]);
    });

    it('updates name, state and owner; refuses unknown ids, bad roles, removing the owner and closing GENERAL', async () => {
      const op = await stores.operations.create({ ref: 'OP-1', name: 'One', sensitivity: 'closed' }, as('o'));
      const up = await stores.operations.update(op.id, { name: 'One renamed', state: 'closed' }, as('o'));
      expect(up).toMatchObject({ name: 'One renamed', state: 'closed', sensitivity: 'closed', ref: 'OP-1' });
      await storeError(stores.operations.update('op999', { name: 'x' }, as('o')), 'not_found');
      await storeError(stores.operations.setMember('op999', 'u', 'viewer', as('o')), 'not_found');
      await storeError(
        stores.operations.setMember(op.id, 'u', 'boss' as unknown as 'viewer', as('o')),
        'invalid',
      );
      await storeError(stores.operations.removeMember(op.id, 'o', as('o')), 'conflict');
      await storeError(stores.operations.listMembers('nope'), 'not_found');
      const g = await stores.operations.defaultOperation();
      await storeError(stores.operations.update(g.id, { sensitivity: 'closed' }, as('admin')), 'conflict');
      expect(await stores.operations.get('op999')).toBeNull();
      expect(await stores.operations.getByRef('NOPE')).toBeNull();
    });

    it('puts unscoped writes in GENERAL and refuses a write naming an operation that does not exist', async () => {
      await stores.graph.writeBatch({ entities: [{ type: 'Person', label: 'Nobody Special' }] }, as('w'));
      const g = await stores.operations.defaultOperation();
      const seen = await stores.graph.scoped({ operations: [g.id] }).listEntities();
      expect(seen.items.map((e) => e.label)).toEqual(['Nobody Special']);
      await storeError(
        stores.graph.writeBatch(
          { entities: [{ type: 'Person', label: 'Lost' }] },
          { actor: 'w', operationId: 'op999' },
        ),
        'not_found',
      );
      expect((await stores.graph.listEntities()).total).toBe(1);
    });
  });
}

// The SecurityStore contract: users, and the audit (append-only, hash-chained, appended one by one or in
// batches). Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import type { Stores } from '../../server/store/stores.ts';
import type { StoreError } from '../../server/store/common.ts';
import type { SqliteStores } from '../../server/store/sqlite/stores.ts';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { nameClashes } from '../../server/security/users.ts';
import { type ContractSetup, freshStores, loadNetwork, storeError } from './fixtures.ts';

/**
 * Users written as a store from before folded names holds them (and as `npm run transfer` loads them):
 * without their folded name, behind the store's back.
 */
async function insertUnfoldedUsers(stores: Stores, names: string[]): Promise<void> {
  const at = new Date().toISOString();
  if (stores.kind === 'sqlite') {
    const ins = (stores as unknown as SqliteStores).db.prepare(
      'INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)',
    );
    for (const name of names) ins.run(name, 'analyst', 'h', at);
    return;
  }
  const rows = names.map((name, i) => ({
    id: String(1000 + i),
    n: 1000 + i,
    name,
    role: 'analyst',
    passwordHash: 'h',
    disabled: false,
    createdAt: at,
  }));
  await (stores as unknown as Neo4jStores).exec.write((tx) => tx.run('load-users', { rows }));
}

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

      it('names are unique ignoring case and Unicode form; any form of the name finds the one account', async () => {
        const u = await stores.security.createUser({ name: 'Analyst1', role: 'analyst', passwordHash: 'h1' });
        for (const name of ['analyst1', 'ANALYST1', 'ａｎａｌｙｓｔ１', ' analyst1 ']) {
          const err = await storeError(
            stores.security.createUser({ name, role: 'viewer', passwordHash: 'h2' }),
            'conflict',
          );
          expect(err.message).toContain('"Analyst1"');
          expect((await stores.security.getUserByName(name))?.id).toBe(u.id);
        }
        // Full case folding, not just lower case: ß is ss.
        const s = await stores.security.createUser({ name: 'straße', role: 'viewer', passwordHash: 'h3' });
        await storeError(
          stores.security.createUser({ name: 'STRASSE', role: 'viewer', passwordHash: 'h' }),
          'conflict',
        );
        expect((await stores.security.getUserByName('Strasse'))?.id).toBe(s.id);
        expect(await stores.security.getUserByName('analyst2')).toBeNull();
        expect((await stores.security.listUsers()).total).toBe(2);
      });

      it('of concurrent creations of one name in different cases, exactly one succeeds', async () => {
        const results = await Promise.allSettled(
          ['Dup', 'dup', 'DUP', 'dUp', 'ｄｕｐ'].map((name) =>
            stores.security.createUser({ name, role: 'viewer', passwordHash: 'h' }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results)
          if (r.status === 'rejected') expect((r.reason as StoreError).code).toBe('conflict');
        expect((await stores.security.listUsers()).total).toBe(1);
      });

      it('users stored without a folded name (older data, a transfer) are found by it; clashes are kept', async () => {
        await insertUnfoldedUsers(stores, ['Legacy1', 'legacy1', 'Solo']);
        const all = (await stores.security.listUsers()).items;
        const first = all.find((u) => u.name === 'Legacy1')!;
        const second = all.find((u) => u.name === 'legacy1')!;
        // Each clashing account answers to its exact name; any other form finds the older one.
        expect((await stores.security.getUserByName('legacy1'))?.id).toBe(second.id);
        expect((await stores.security.getUserByName('Legacy1'))?.id).toBe(first.id);
        expect((await stores.security.getUserByName('LEGACY1'))?.id).toBe(first.id);
        expect((await stores.security.getUserByName('solo'))?.name).toBe('Solo');
        await storeError(
          stores.security.createUser({ name: 'LEGACY1', role: 'viewer', passwordHash: 'h' }),
          'conflict',
        );
        await storeError(
          stores.security.createUser({ name: 'SOLO', role: 'viewer', passwordHash: 'h' }),
          'conflict',
        );
        expect((await nameClashes(stores.security)).map((g) => g.map((u) => u.name))).toEqual([
          ['Legacy1', 'legacy1'],
        ]);
        // Still found the same way once the store has given the older ones their folded names.
        expect((await stores.security.getUserByName('LEGACY1'))?.id).toBe(first.id);
        expect((await stores.security.getUserByName('legacy1'))?.id).toBe(second.id);
        expect((await stores.security.getUserByName('sOLO'))?.name).toBe('Solo');
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

      it('pages the audit by key, oldest or newest first, filtered or not; deep offsets are refused', async () => {
        for (let i = 0; i < 23; i++)
          await stores.security.appendAudit({
            actor: i % 3 ? 'alice' : 'bob',
            action: 'entity.read',
            objectIds: i % 4 === 0 ? [`obj-${i}`, 'watched'] : [`obj-${i}`],
            outcome: 'ok',
          });
        const all = (await stores.security.listAudit({ limit: 100 })).items;
        expect(all).toHaveLength(23);
        const filters = [
          {},
          { actor: 'bob' },
          { objectId: 'watched' },
          { objectId: 'watched', actor: 'alice' },
        ];
        for (const f of filters) {
          const want = all
            .filter(
              (e) =>
                (!('actor' in f) || e.actor === f.actor) &&
                (!('objectId' in f) || e.objectIds.includes(f.objectId!)),
            )
            .map((e) => e.seq);
          const label = JSON.stringify(f);
          // Oldest first, each page from the last one's `next` (after).
          const forwards: number[] = [];
          for (let after = 0, pages = 0; ; pages++) {
            expect(pages, label).toBeLessThan(10);
            const page = await stores.security.listAudit({ ...f, after, limit: 4 });
            expect(page.total, label).toBe(want.length);
            forwards.push(...page.items.map((e) => e.seq));
            if (!page.next) break;
            expect(page.next, label).toBe(String(page.items[3].seq));
            after = Number(page.next);
          }
          expect(forwards, label).toEqual(want);
          // Newest first, each page from the last one's `next` (before).
          const backwards: number[] = [];
          let before: number | undefined;
          for (let pages = 0; ; pages++) {
            expect(pages, label).toBeLessThan(10);
            const page = await stores.security.listAudit({
              ...f,
              newestFirst: true,
              ...(before !== undefined ? { before } : {}),
              limit: 4,
            });
            backwards.push(...page.items.map((e) => e.seq));
            if (!page.next) break;
            before = Number(page.next);
          }
          expect(backwards, label).toEqual([...want].reverse());
        }
        // The newest record, as a server reads the chain's head.
        expect((await stores.security.listAudit({ newestFirst: true, limit: 1 })).items[0]).toEqual(all[22]);
        // A page exactly at the end says so: no cursor to an empty page.
        expect((await stores.security.listAudit({ after: all[18].seq, limit: 4 })).next).toBeNull();
        await storeError(stores.security.listAudit({ offset: 5_001 }), 'invalid');
        await storeError(stores.security.listAudit({ after: -1 }), 'invalid');
        await storeError(stores.security.listAudit({ before: 1.5 }), 'invalid');
      });

      it('counts a filtered audit list as its items: by actor, action, time span, object, and together', async () => {
        const acts = ['entity.read', 'expand', 'search'];
        for (let i = 0; i < 9; i++)
          await stores.security.appendAudit({
            actor: i % 2 ? 'alice' : 'bob',
            action: acts[i % 3],
            objectIds: [`obj-${i % 4}`],
            outcome: 'ok',
          });
        const all = (await stores.security.listAudit({ limit: 100 })).items;
        const at = all[4].at;
        const cases = [
          { action: 'expand' },
          { actor: 'alice', action: 'search' },
          { since: at },
          { until: at, objectId: 'obj-1' },
          { objectId: 'obj-2' },
          { action: 'expand', since: at },
        ];
        for (const q of cases) {
          const page = await stores.security.listAudit({ ...q, limit: 100 });
          const want = all.filter(
            (e) =>
              (!('actor' in q) || e.actor === q.actor) &&
              (!('action' in q) || e.action === q.action) &&
              (!('since' in q) || e.at >= q.since!) &&
              (!('until' in q) || e.at <= q.until!) &&
              (!('objectId' in q) || e.objectIds.includes(q.objectId!)),
          );
          expect(
            page.items.map((e) => e.seq),
            JSON.stringify(q),
          ).toEqual(want.map((e) => e.seq));
          expect(page.total, JSON.stringify(q)).toBe(want.length);
        }
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

      it('records carry the working operations, in the chain; a supervisor view lists theirs and none touching another closed one', async () => {
        const rec = (actor: string, operations?: string[]) => ({
          actor,
          action: 'read',
          outcome: 'ok' as const,
          ...(operations ? { operations } : {}),
        });
        const written = await stores.security.appendAuditBatch([
          rec('signin'),
          rec('general', ['op1']),
          rec('kestrel', ['op2']),
          rec('halyard', ['op3', 'op3']),
          rec('both', ['op3', 'op1', 'op2']),
          rec('empty', []),
        ]);
        expect(written.map((e) => e.operations)).toEqual([
          undefined,
          ['op1'],
          ['op2'],
          ['op3'],
          ['op1', 'op2', 'op3'],
          undefined,
        ]);
        const all = (await stores.security.listAudit({ limit: 100 })).items;
        expect(all).toEqual(written);
        // The operations are hashed: the chain verifies, and changing them breaks it.
        expect(verifyAuditChain(all)).toBeNull();
        const moved = all.map((e, i) => (i === 3 ? { ...e, operations: ['op2'] } : e));
        expect(verifyAuditChain(moved)).toMatchObject({ seq: all[3].seq });
        const view = async (operations: string[], within: string[]) =>
          (await stores.security.listAudit({ supervised: { operations, within } })).items.map((e) => e.actor);
        // Supervising GENERAL and KESTREL (op2), HALYARD (op3) closed: not the HALYARD records.
        expect(await view(['op1', 'op2'], ['op1', 'op2'])).toEqual(['signin', 'general', 'kestrel', 'empty']);
        // Supervising HALYARD too: all of them.
        expect(await view(['op1', 'op2', 'op3'], ['op1', 'op2', 'op3'])).toHaveLength(6);
        // Supervising GENERAL only, KESTREL open: KESTREL's own records are its supervisors'.
        expect(await view(['op1'], ['op1', 'op2'])).toEqual(['signin', 'general', 'empty']);
        expect(
          (await stores.security.listAudit({ supervised: { operations: ['op1'], within: ['op1'] } })).total,
        ).toBe(3);
      });
    });
  });
}

// The DuplicateStore contract: the review queue of likely duplicates on every backend. Part of
// stores-contract.ts. Proposals here are written by hand (the resolver's own tests check how they are found);
// what is checked is what the queue does with them: order, paging, decisions, the merge an accept makes and
// the exact state an undo restores, and that a rejected pair stays rejected until its evidence changes.
import { describe, expect, it } from 'vitest';
import type { ProposalInput } from '../../server/store/duplicates-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, P, T, ctx, freshStores, person, phone, report, storeError } from './fixtures.ts';

const prop = (a: string, b: string, weight: number, over: Partial<ProposalInput> = {}): ProposalInput => ({
  aId: a,
  bId: b,
  type: 'Person',
  weight,
  probability: Math.min(1, Math.max(0, weight / 20)),
  evidence: ['same date of birth', 'names differ by one letter'],
  fingerprint: `fp-${weight}`,
  ...over,
});

export function duplicatesContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`DuplicateStore contract: ${name}`, () => {
    const stores = freshStores(setup);

    /** Four people (two of them likely one man), a phone, links and reports. */
    async function people() {
      const r = await stores.graph.writeBatch(
        {
          reports: [report('D-1', 2, 'B'), report('D-2', 1, 'A')],
          entities: [
            person('John Smith', { key: 'js-1', properties: { dob: '1980-05-05' }, reports: ['D-1'] }),
            person('Jon Smith', { key: 'js-2', properties: { dob: '1980-05-05' }, reports: ['D-2'] }),
            person('Kim Lee', { key: 'kl' }),
            person('Kym Lee', { key: 'kl2' }),
            phone('07700 900123'),
          ],
          links: [
            { type: 'USES', from: P('js-1'), to: T('+447700900123'), reports: ['D-1'] },
            { type: 'USES', from: P('js-2'), to: T('+447700900123'), reports: ['D-2'] },
            { type: 'ASSOCIATE_OF', from: P('js-2'), to: P('kl'), weight: 3, reports: ['D-2'] },
          ],
        },
        ctx,
      );
      const [john, jon, kim, kym, ph] = r.entityIds;
      return { john, jon, kim, kym, ph };
    }

    async function snapshotOf(ids: string[]) {
      const entities = await Promise.all(ids.map((i) => stores.graph.getEntity(i)));
      const links = [];
      for (const i of ids) links.push(...(await stores.graph.listLinks({ entityId: i, limit: 1000 })).items);
      const details = await Promise.all(
        [...new Set(links.map((l) => l.id))].sort().map((l) => stores.graph.getLink(l)),
      );
      return { entities, details, counts: await stores.counts() };
    }

    it('stores a run, lists it by weight with a cursor, and leaves the data version alone', async () => {
      const { john, jon, kim, kym } = await people();
      const v = await stores.graph.dataVersion();
      // Given in either order: the pair is stored lower id first, and named by both.
      const res = await stores.duplicates.saveProposals(
        [prop(jon, john, 12), prop(kim, kym, 4), prop(john, kim, 1, { fingerprint: 'x' })],
        ctx,
      );
      expect(res).toEqual({ created: 3, updated: 0, reopened: 0, stillRejected: 0, removed: 0 });
      expect(await stores.graph.dataVersion()).toBe(v);
      const first = await stores.duplicates.listProposals({ limit: 2 });
      expect(first.total).toBe(3);
      expect(first.items.map((p) => p.weight)).toEqual([12, 4]);
      const top = first.items[0];
      const [lo, hi] = [john, jon].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
      expect(top).toMatchObject({
        id: `${lo}-${hi}`,
        aId: lo,
        bId: hi,
        type: 'Person',
        state: 'new',
        evidence: ['same date of birth', 'names differ by one letter'],
        fingerprint: 'fp-12',
        decidedBy: null,
        mergeId: null,
      });
      expect(first.next).not.toBeNull();
      const second = await stores.duplicates.listProposals({ limit: 2, cursor: first.next! });
      expect(second.items.map((p) => p.weight)).toEqual([1]);
      expect(second.next).toBeNull();
      expect((await stores.duplicates.listProposals({ minWeight: 4 })).items).toHaveLength(2);
      expect((await stores.duplicates.listProposals({ type: 'Phone' })).total).toBe(0);
      expect(await stores.duplicates.getProposal(top.id)).toEqual(top);
      expect(await stores.duplicates.getProposal('e1-e1')).toBeNull();
      expect(await stores.duplicates.getProposal('nonsense')).toBeNull();
    });

    it('refuses bad input with where it was wrong', async () => {
      const { john } = await people();
      const e1 = await storeError(stores.duplicates.saveProposals([prop(john, john, 3)], ctx), 'invalid');
      expect(e1.path).toEqual(['proposals', 0]);
      const e2 = await storeError(
        stores.duplicates.saveProposals([prop(john, 'e2', 3), prop(john, 'r7', 3)], ctx),
        'invalid',
      );
      expect(e2.path).toEqual(['proposals', 1, 'bId']);
      await storeError(stores.duplicates.listProposals({ cursor: 'garbage' }), 'invalid');
      await storeError(stores.duplicates.accept('e1-e2', ctx), 'not_found');
      await storeError(
        stores.duplicates.saveProposals([prop(john, 'e2', 3)], ctx, { entityIds: ['x'] }),
        'invalid',
      );
      expect((await stores.duplicates.listProposals()).total).toBe(0);
    });

    it('accept merges the pair in one step; undo restores both records exactly', async () => {
      const { john, jon, kim, kym, ph } = await people();
      await stores.duplicates.saveProposals([prop(john, jon, 12), prop(jon, kim, 2)], ctx);
      const id = (await stores.duplicates.listProposals()).items[0].id;
      const before = await snapshotOf([john, jon, kim, kym, ph]);

      const accepted = await stores.duplicates.accept(id, { actor: 'ana' });
      expect(accepted).toMatchObject({ state: 'accepted', decidedBy: 'ana', keptId: john });
      expect(accepted.mergeId).not.toBeNull();
      expect(await stores.graph.getEntity(jon)).toBeNull();
      expect((await stores.graph.getEntity(john))!.reports.map((r) => r.ref).sort()).toEqual(['D-1', 'D-2']);
      expect((await stores.graph.listMerges()).items[0]).toMatchObject({ keptId: john, mergedId: jon });
      // The other pair names a record that is gone: it is off the queue while the merge stands.
      expect((await stores.duplicates.listProposals({ state: 'new' })).total).toBe(0);
      // The accepted pair itself stays listed, to be found and undone.
      expect((await stores.duplicates.listProposals({ state: 'accepted' })).items.map((p) => p.id)).toEqual([
        id,
      ]);
      await storeError(stores.duplicates.accept(id, ctx), 'conflict');
      await storeError(stores.duplicates.reject(id, ctx), 'conflict');

      const undone = await stores.duplicates.undo(id, { actor: 'ana' });
      expect(undone).toMatchObject({ state: 'new', decidedBy: null, mergeId: null, keptId: null });
      expect(await snapshotOf([john, jon, kim, kym, ph])).toEqual(before);
      expect((await stores.duplicates.listProposals({ state: 'new' })).total).toBe(2);
      expect((await stores.duplicates.listDecisions(id)).map((d) => [d.action, d.actor])).toEqual([
        ['accept', 'ana'],
        ['undo', 'ana'],
      ]);
      await storeError(stores.duplicates.undo(id, ctx), 'conflict');
    });

    it('keeps the record asked for, and refuses one that is not of the pair', async () => {
      const { john, jon, kim } = await people();
      await stores.duplicates.saveProposals([prop(john, jon, 12)], ctx);
      const id = (await stores.duplicates.listProposals()).items[0].id;
      await storeError(stores.duplicates.accept(id, ctx, { keepId: kim }), 'invalid');
      expect((await stores.duplicates.getProposal(id))!.state).toBe('new');
      const p = await stores.duplicates.accept(id, ctx, { keepId: jon });
      expect(p.keptId).toBe(jon);
      expect(await stores.graph.getEntity(john)).toBeNull();
    });

    it('a rejected pair is not proposed again until its evidence changes', async () => {
      const { john, jon, kim, kym } = await people();
      await stores.duplicates.saveProposals([prop(john, jon, 12), prop(kim, kym, 4)], ctx);
      const [top] = (await stores.duplicates.listProposals()).items;
      const rejected = await stores.duplicates.reject(top.id, { actor: 'bo' });
      expect(rejected).toMatchObject({ state: 'rejected', decidedBy: 'bo' });
      expect(rejected.decidedAt).not.toBeNull();

      const again = await stores.duplicates.saveProposals([prop(john, jon, 12), prop(kim, kym, 5)], ctx);
      expect(again).toMatchObject({ created: 0, updated: 1, stillRejected: 1, reopened: 0 });
      expect((await stores.duplicates.listProposals({ state: 'new' })).items.map((p) => p.id)).not.toContain(
        top.id,
      );
      expect((await stores.duplicates.getProposal(top.id))!.state).toBe('rejected');

      const changed = await stores.duplicates.saveProposals(
        [prop(john, jon, 14, { fingerprint: 'new evidence', evidence: ['both use 07700 900123'] })],
        ctx,
      );
      expect(changed.reopened).toBe(1);
      expect(await stores.duplicates.getProposal(top.id)).toMatchObject({
        state: 'new',
        weight: 14,
        evidence: ['both use 07700 900123'],
        decidedBy: null,
      });
      expect((await stores.duplicates.listDecisions(top.id)).map((d) => d.action)).toEqual([
        'reject',
        'reopen',
      ]);
    });

    it('defers, undoes a rejection, and refuses decisions the state does not allow', async () => {
      const { john, jon } = await people();
      await stores.duplicates.saveProposals([prop(john, jon, 12)], ctx);
      const id = (await stores.duplicates.listProposals()).items[0].id;
      await storeError(stores.duplicates.undo(id, ctx), 'conflict');
      expect((await stores.duplicates.defer(id, ctx)).state).toBe('deferred');
      await storeError(stores.duplicates.defer(id, ctx), 'conflict');
      expect((await stores.duplicates.listProposals({ state: 'deferred' })).total).toBe(1);
      expect((await stores.duplicates.reject(id, ctx)).state).toBe('rejected');
      expect((await stores.duplicates.undo(id, ctx)).state).toBe('new');
      expect(await stores.graph.getEntity(jon)).not.toBeNull();
    });

    it('a run takes off the queue the waiting pairs of its scope it no longer proposes, and keeps decisions', async () => {
      const { john, jon, kim, kym, ph } = await people();
      await stores.duplicates.saveProposals(
        [prop(john, jon, 12), prop(kim, kym, 4), prop(john, kim, 1)],
        ctx,
      );
      const ids = (await stores.duplicates.listProposals()).items.map((p) => p.id);
      await stores.duplicates.defer(ids[1], ctx);
      // Scoped to Kym: only pairs touching Kym may go; kim-kym is deferred, so it stays.
      const scoped = await stores.duplicates.saveProposals([], ctx, { entityIds: [kym, ph] });
      expect(scoped.removed).toBe(0);
      // The whole store: john-kim (waiting, not proposed) goes; the deferred pair stays.
      const whole = await stores.duplicates.saveProposals([prop(john, jon, 11)], ctx);
      expect(whole).toMatchObject({ updated: 1, removed: 1 });
      expect((await stores.duplicates.listProposals()).items.map((p) => [p.id, p.state, p.weight])).toEqual([
        [ids[0], 'new', 11],
        [ids[1], 'deferred', 4],
      ]);
    });

    it('under a read scope, lists and decides only pairs both of whose records it may read', async () => {
      const { john, jon } = await people();
      const closed = await stores.operations.create(
        { ref: 'WREN', name: 'Closed one', sensitivity: 'closed' },
        { actor: 'cara' },
      );
      const r = await stores.graph.writeBatch(
        { entities: [person('John Smith', { key: 'js-3', properties: { dob: '1980-05-05' } })] },
        { actor: 'cara', operationId: closed.id },
      );
      const [js3] = r.entityIds;
      await stores.duplicates.saveProposals([prop(john, jon, 12), prop(john, js3, 11)], ctx);
      const general = stores.duplicates.scoped({ operations: ['op1'] });
      const seen = await general.listProposals();
      expect(seen.items.map((p) => [p.aId, p.bId])).toEqual([[john, jon].sort()]);
      expect(seen.total).toBe(1);
      const hidden = (await stores.duplicates.listProposals()).items.find((p) => p.weight === 11)!;
      expect(await general.getProposal(hidden.id)).toBeNull();
      await storeError(general.reject(hidden.id, ctx), 'not_found');
      expect((await general.bulk('reject', { minWeight: 0 }, ctx)).done.map((p) => p.weight)).toEqual([12]);
      expect((await stores.duplicates.getProposal(hidden.id))?.state).toBe('new');
      const both = stores.duplicates.scoped({ operations: ['op1', closed.id] });
      expect((await both.listProposals()).total).toBe(2);
      expect(stores.duplicates.scoped('all')).toBe(stores.duplicates);
    });

    it('a run under a read scope takes off the queue only waiting pairs it could see', async () => {
      const { john, jon, kim, kym } = await people();
      const closed = await stores.operations.create(
        { ref: 'WREN', name: 'Closed one', sensitivity: 'closed' },
        { actor: 'cara' },
      );
      const r = await stores.graph.writeBatch(
        {
          entities: [
            person('John Smith', { key: 'js-3', properties: { dob: '1980-05-05' } }),
            person('Jon Smyth', { key: 'js-4', properties: { dob: '1980-05-05' } }),
          ],
        },
        { actor: 'cara', operationId: closed.id },
      );
      const [js3, js4] = r.entityIds;
      // The member's run: a pair inside WREN, one across WREN and GENERAL, and GENERAL's own.
      await stores.duplicates.saveProposals(
        [prop(js3, js4, 13), prop(john, js3, 11), prop(john, jon, 12), prop(kim, kym, 4)],
        ctx,
      );
      // An outsider's whole run proposes only GENERAL's john-jon: kim-kym (which it sees) goes, WREN's stay.
      const outside = stores.duplicates.scoped({ operations: ['op1'] });
      const res = await outside.saveProposals([prop(john, jon, 12)], ctx);
      expect(res).toMatchObject({ updated: 1, removed: 1, created: 0 });
      const left = (await stores.duplicates.listProposals()).items.map((p) => p.weight);
      expect(left).toEqual([13, 12, 11]);
      // Scoped to entities too: the outsider naming WREN's records takes none of WREN's pairs off.
      expect((await outside.saveProposals([], ctx, { entityIds: [js3, js4, john] })).removed).toBe(1);
      expect((await stores.duplicates.listProposals()).items.map((p) => p.weight)).toEqual([13, 11]);
      // The member's run sees them all.
      const inside = stores.duplicates.scoped({ operations: ['op1', closed.id] });
      expect((await inside.saveProposals([prop(js3, js4, 13)], ctx)).removed).toBe(1);
      expect((await stores.duplicates.listProposals()).items.map((p) => p.weight)).toEqual([13]);
    });

    /** john and jon of people(), with jon written again by the closed WREN (so he belongs to both). */
    async function sharedJon() {
      const who = await people();
      const wren = await stores.operations.create(
        { ref: 'WREN', name: 'Closed one', sensitivity: 'closed' },
        { actor: 'cara' },
      );
      await stores.graph.writeBatch(
        { entities: [person('Jon Smith', { key: 'js-2', properties: { alias: 'WRENSECRET' } })] },
        { actor: 'cara', operationId: wren.id },
      );
      return { ...who, wren: wren.id };
    }

    it('a pair records the operations its evidence could come from; only readers of all of them see or decide it', async () => {
      const { john, jon, kim, kym, wren } = await sharedJon();
      await stores.duplicates.saveProposals([prop(john, jon, 12), prop(kim, kym, 4)], ctx);
      const [jj, kk] = (await stores.duplicates.listProposals()).items;
      // The system's run read everything: john-jon's evidence could hold what WREN wrote of jon.
      expect(jj.ops).toEqual(['op1', wren]);
      expect(kk.ops).toEqual(['op1']);
      // Both records are GENERAL's, so a GENERAL reader may read them; the evidence may not be theirs to read.
      const general = stores.duplicates.scoped({ operations: ['op1'] });
      expect(await general.getProposal(jj.id)).toBeNull();
      expect((await general.listProposals()).items.map((p) => p.id)).toEqual([kk.id]);
      expect((await general.listProposals({ state: 'new' })).total).toBe(1);
      // One at a time: each refusal is awaited before the next step is asked.
      await storeError(general.accept(jj.id, ctx), 'not_found');
      await storeError(general.reject(jj.id, ctx), 'not_found');
      await storeError(general.defer(jj.id, ctx), 'not_found');
      await storeError(general.undo(jj.id, ctx), 'not_found');
      expect((await general.bulk('reject', { minWeight: -100 }, ctx)).done.map((p) => p.id)).toEqual([kk.id]);
      expect((await stores.duplicates.getProposal(jj.id))?.state).toBe('new');
      // A reader of both operations sees the pair and may decide it.
      const both = stores.duplicates.scoped({ operations: ['op1', wren] });
      expect((await both.getProposal(jj.id))?.ops).toEqual(['op1', wren]);
      expect((await both.defer(jj.id, ctx)).state).toBe('deferred');
    });

    it('a run records only the operations of its read scope: a pair from GENERAL facts alone is for GENERAL', async () => {
      const { john, jon } = await sharedJon();
      const general = stores.duplicates.scoped({ operations: ['op1'] });
      expect(await general.saveProposals([prop(john, jon, 12)], ctx)).toMatchObject({ created: 1 });
      expect((await general.getProposal(`${john}-${jon}`))?.ops).toEqual(['op1']);
      expect((await stores.duplicates.getProposal(`${john}-${jon}`))?.ops).toEqual(['op1']);
    });

    it('narrower wins: a run from fewer operations replaces the evidence; one from more or others leaves it', async () => {
      const { john, jon, wren } = await sharedJon();
      const id = `${john}-${jon}`;
      const wide = prop(john, jon, 14, { evidence: ['alias WRENSECRET on one record'], fingerprint: 'wide' });
      const narrow = prop(john, jon, 10, { evidence: ['same name'], fingerprint: 'narrow' });
      const inside = stores.duplicates.scoped({ operations: ['op1', wren] });
      const outside = stores.duplicates.scoped({ operations: ['op1'] });
      expect(await inside.saveProposals([wide], ctx)).toMatchObject({ created: 1 });
      expect(await outside.getProposal(id)).toBeNull();
      // The outsider's run finds the pair from GENERAL's facts only: its evidence replaces the wider one.
      expect(await outside.saveProposals([narrow], ctx)).toMatchObject({ created: 0, updated: 1 });
      const after = await outside.getProposal(id);
      expect(after).toMatchObject({
        ops: ['op1'],
        evidence: ['same name'],
        weight: 10,
        fingerprint: 'narrow',
      });
      // Runs that read more (the member's, the system's) keep the narrower pair as it is.
      for (const run of [inside, stores.duplicates]) {
        expect(await run.saveProposals([wide], ctx)).toMatchObject({ created: 0, updated: 0, removed: 0 });
        expect(await stores.duplicates.getProposal(id)).toMatchObject({
          ops: ['op1'],
          evidence: ['same name'],
        });
      }
      // A run from other operations (WREN alone reads only jon's WREN side) is not narrower: the pair stays.
      const wrenOnly = stores.duplicates.scoped({ operations: [wren] });
      const other = prop(john, jon, 3, { evidence: ['alias WRENSECRET'], fingerprint: 'other' });
      expect(await wrenOnly.saveProposals([other], ctx)).toMatchObject({ created: 0, updated: 0 });
      expect(await stores.duplicates.getProposal(id)).toMatchObject({ ops: ['op1'], weight: 10 });
    });

    it('bulk accepts the waiting pairs above a weight in one step, passing over a record already merged', async () => {
      const { john, jon, kim, kym, ph } = await people();
      await stores.duplicates.saveProposals(
        [prop(john, jon, 12), prop(jon, kim, 10), prop(kim, kym, 9), prop(kim, ph, 2)],
        ctx,
      );
      const res = await stores.duplicates.bulk('accept', { minWeight: 9 }, { actor: 'ana' });
      expect(res.done.map((p) => p.weight)).toEqual([12, 9]);
      expect(res.done.every((p) => p.state === 'accepted' && p.decidedBy === 'ana')).toBe(true);
      expect(res.skipped).toHaveLength(1);
      expect(res.skipped[0].reason).toMatch(/merged/);
      expect((await stores.counts()).entitiesByType.Person).toBe(2);
      const rej = await stores.duplicates.bulk('reject', { minWeight: 0 }, ctx);
      expect(rej.done.map((p) => p.state)).toEqual(['rejected']);
      await storeError(stores.duplicates.bulk('accept', { minWeight: 0, limit: 100_000 }, ctx), 'invalid');
    });
  });
}

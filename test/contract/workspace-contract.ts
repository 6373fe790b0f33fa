// The WorkspaceStore contract: annotations and charts, what analysts make on top of the graph. Part of
// stores-contract.ts.
import { describe, expect, it } from 'vitest';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, ctx, freshStores, loadNetwork, storeError } from './fixtures.ts';

export function workspaceContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`WorkspaceStore contract: ${name}`, () => {
    const stores = freshStores(setup);
    const load = () => loadNetwork(stores.graph);

    describe('annotations and charts', () => {
      it('creates, updates, lists and deletes annotations', async () => {
        const ids = await load();
        const target = { kind: 'entity' as const, id: ids['Bob Baker'] };
        const a = await stores.workspace.createAnnotation(
          { target, text: 'Seen driving', tags: ['vehicle'] },
          ctx,
        );
        expect(a).toMatchObject({
          target,
          text: 'Seen driving',
          tags: ['vehicle'],
          targetFlag: false,
          author: 'contract',
        });
        const u = await stores.workspace.updateAnnotation(
          a.id,
          { target_flag: true, text: 'Proposed target' },
          ctx,
        );
        expect(u).toMatchObject({ targetFlag: true, text: 'Proposed target', tags: ['vehicle'] });
        await stores.workspace.createAnnotation(
          { target: { kind: 'entity', id: ids['Alice Archer'] }, text: 'x' },
          ctx,
        );
        expect((await stores.workspace.listAnnotations(target)).items.map((x) => x.id)).toEqual([a.id]);
        expect((await stores.workspace.listAnnotations()).total).toBe(2);
        await stores.workspace.deleteAnnotation(a.id, ctx);
        expect((await stores.workspace.listAnnotations(target)).total).toBe(0);
        await storeError(
          stores.workspace.createAnnotation({ target: { kind: 'planet' as 'entity', id: 'x' } }, ctx),
          'invalid',
        );
      });

      it('a partial update changes only the fields it sends; an annotation reads back by id', async () => {
        const ids = await load();
        const target = { kind: 'entity' as const, id: ids['Bob Baker'] };
        const a = await stores.workspace.createAnnotation(
          { target, text: 'Seen driving', tags: ['vehicle', 'depot'], target_flag: true },
          ctx,
        );
        const ws = stores.workspace;
        expect(await ws.getAnnotation(a.id)).toEqual(a);
        expect(await ws.getAnnotation('no-such-id')).toBeNull();
        expect(await ws.getAnnotation('999999')).toBeNull();
        const t = await stores.workspace.updateAnnotation(a.id, { text: 'Seen driving twice' }, ctx);
        expect(t).toMatchObject({
          text: 'Seen driving twice',
          tags: ['vehicle', 'depot'],
          targetFlag: true,
          author: 'contract',
          target,
        });
        const g = await stores.workspace.updateAnnotation(a.id, { tags: ['depot'] }, ctx);
        expect(g).toMatchObject({ text: 'Seen driving twice', tags: ['depot'], targetFlag: true });
        const f = await stores.workspace.updateAnnotation(a.id, { target_flag: false }, ctx);
        expect(f).toMatchObject({ text: 'Seen driving twice', tags: ['depot'], targetFlag: false });
        const e = await stores.workspace.updateAnnotation(a.id, { text: '', tags: [] }, ctx);
        expect(e).toMatchObject({ text: '', tags: [], targetFlag: false, target });
        // Another writer's change keeps the note's author: who made it owns it.
        const o = await stores.workspace.updateAnnotation(a.id, { text: 'x' }, { actor: 'someone-else' });
        expect(o.author).toBe('contract');
        expect(await ws.getAnnotation(a.id)).toEqual(o);
      });

      it('saves, updates, lists and deletes charts', async () => {
        const c = await stores.workspace.saveChart(
          { name: 'Op Sandstone', state: { positions: { a: [1, 2] } } },
          ctx,
        );
        expect(c).toMatchObject({
          name: 'Op Sandstone',
          owner: 'contract',
          state: { positions: { a: [1, 2] } },
        });
        const c2 = await stores.workspace.saveChart(
          { name: 'Op Sandstone v2', state: { zoom: 2 } },
          ctx,
          c.id,
        );
        expect(c2).toMatchObject({ id: c.id, name: 'Op Sandstone v2', state: { zoom: 2 } });
        expect(await stores.workspace.getChart(c.id)).toEqual(c2);
        expect((await stores.workspace.listCharts()).total).toBe(1);
        await storeError(stores.workspace.saveChart({ name: '', state: {} }, ctx), 'invalid');
        await storeError(
          stores.workspace.saveChart({ name: 'x', state: {} }, ctx, 'no-such-id'),
          'not_found',
        );
        await stores.workspace.deleteChart(c.id, ctx);
        expect(await stores.workspace.getChart(c.id)).toBeNull();
      });
    });

    describe('drafts', () => {
      const other = { actor: 'someone-else' };

      it("keeps one draft per user: a save replaces the user's own and leaves others' alone", async () => {
        const ws = stores.workspace;
        expect(await ws.draftOf('contract')).toBeNull();
        const before = await stores.graph.dataVersion();
        const d = await ws.saveDraft({ name: 'Untitled chart', state: { nodes: ['a'] } }, ctx);
        expect(d).toMatchObject({
          owner: 'contract',
          name: 'Untitled chart',
          chartId: null,
          state: { nodes: ['a'] },
          revision: 1,
        });
        expect(d.id).toMatch(/\S/);
        const d2 = await ws.saveDraft(
          { name: 'Op Sandstone', chartId: '7', state: { nodes: ['a', 'b'] } },
          ctx,
        );
        expect(d2).toMatchObject({ id: d.id, chartId: '7', revision: 2, state: { nodes: ['a', 'b'] } });
        expect(d2.createdAt).toBe(d.createdAt);
        expect(await ws.draftOf('contract')).toEqual(d2);
        expect(await ws.getDraft(d.id)).toEqual(d2);
        const o = await ws.saveDraft({ name: 'Theirs', state: {} }, other);
        expect(o.id).not.toBe(d.id);
        expect(await ws.draftOf('someone-else')).toEqual(o);
        expect(await ws.draftOf('contract')).toEqual(d2);
        // Saved every few seconds: a draft is not data an export names, so cached analyses stay valid.
        expect(await stores.graph.dataVersion()).toBe(before);
      });

      it('refuses a save based on a revision another window has moved past', async () => {
        const ws = stores.workspace;
        await storeError(ws.saveDraft({ name: 'x', state: {} }, ctx, 1), 'conflict');
        const d = await ws.saveDraft({ name: 'x', state: { v: 1 } }, ctx, 0);
        expect(d.revision).toBe(1);
        const d2 = await ws.saveDraft({ name: 'x', state: { v: 2 } }, ctx, 1);
        expect(d2.revision).toBe(2);
        await storeError(ws.saveDraft({ name: 'x', state: { v: 3 } }, ctx, 1), 'conflict');
        expect((await ws.draftOf('contract'))?.state).toEqual({ v: 2 });
        await storeError(ws.saveDraft({ name: '', state: {} }, ctx), 'invalid');
      });

      it('discards a draft by id; unknown ids read null and delete not_found', async () => {
        const ws = stores.workspace;
        const d = await ws.saveDraft({ name: 'x', state: {} }, ctx);
        await ws.deleteDraft(d.id, ctx);
        expect(await ws.draftOf('contract')).toBeNull();
        expect(await ws.getDraft(d.id)).toBeNull();
        await storeError(ws.deleteDraft(d.id, ctx), 'not_found');
        expect(await ws.getDraft('no-such-id')).toBeNull();
        const again = await ws.saveDraft({ name: 'y', state: {} }, ctx);
        expect(again).toMatchObject({ revision: 1, name: 'y' });
      });
    });

    describe('by operation', () => {
      const inA = { ...ctx, operationId: 'op2' };
      const inB = { ...ctx, operationId: 'op3' };

      it('annotations and charts belong to the operation they were made in; a scoped store reads only its own', async () => {
        const ids = await load();
        const target = { kind: 'entity' as const, id: ids['Bob Baker'] };
        const a = await stores.workspace.createAnnotation({ target, text: 'A note' }, inA);
        const b = await stores.workspace.createAnnotation({ target, text: 'B note' }, inB);
        const g = await stores.workspace.createAnnotation({ target, text: 'General note' }, ctx);
        const ca = await stores.workspace.saveChart({ name: 'A chart', state: {} }, inA);
        const cb = await stores.workspace.saveChart({ name: 'B chart', state: {} }, inB);
        const onlyA = stores.workspace.scoped({ operations: ['op2'] });
        expect((await onlyA.listAnnotations(target)).items.map((x) => x.id)).toEqual([a.id]);
        expect((await onlyA.listAnnotations()).total).toBe(1);
        expect((await onlyA.listCharts()).items.map((x) => x.id)).toEqual([ca.id]);
        expect(await onlyA.getAnnotation(b.id)).toBeNull();
        expect(await onlyA.getChart(cb.id)).toBeNull();
        expect((await onlyA.getChart(ca.id))?.name).toBe('A chart');
        // Outside the scope is absent for changes too, and nothing changes.
        await storeError(onlyA.updateAnnotation(b.id, { text: 'x' }, inA), 'not_found');
        await storeError(onlyA.deleteAnnotation(b.id, inA), 'not_found');
        await storeError(onlyA.saveChart({ name: 'x', state: {} }, inA, cb.id), 'not_found');
        await storeError(onlyA.deleteChart(cb.id, inA), 'not_found');
        expect((await stores.workspace.getChart(cb.id))?.name).toBe('B chart');
        expect((await stores.workspace.getAnnotation(b.id))?.text).toBe('B note');
        // GENERAL's (a write naming no operation) and both: the unscoped store reads all.
        const general = stores.workspace.scoped({ operations: ['op1'] });
        expect((await general.listAnnotations()).items.map((x) => x.id)).toEqual([g.id]);
        const both = stores.workspace.scoped({ operations: ['op2', 'op3'] });
        expect((await both.listAnnotations()).total).toBe(2);
        expect((await stores.workspace.listAnnotations()).total).toBe(3);
        expect((await stores.workspace.scoped({ operations: [] }).listCharts()).total).toBe(0);
        expect(stores.workspace.scoped('all')).toBe(stores.workspace);
        await onlyA.deleteChart(ca.id, inA);
        expect(await stores.workspace.getChart(ca.id)).toBeNull();
      });

      it('keeps one draft per user and operation', async () => {
        const ws = stores.workspace;
        const da = await ws.saveDraft({ name: 'Working A', state: { v: 'a' } }, inA);
        const db = await ws.saveDraft({ name: 'Working B', state: { v: 'b' } }, inB);
        expect(da.id).not.toBe(db.id);
        expect((await ws.draftOf('contract', 'op2'))?.name).toBe('Working A');
        expect((await ws.draftOf('contract', 'op3'))?.name).toBe('Working B');
        expect(await ws.draftOf('contract')).toBeNull();
        const da2 = await ws.saveDraft({ name: 'Working A', state: { v: 'a2' } }, inA, 1);
        expect(da2).toMatchObject({ id: da.id, revision: 2 });
        expect((await ws.draftOf('contract', 'op3'))?.revision).toBe(1);
        const onlyB = ws.scoped({ operations: ['op3'] });
        expect(await onlyB.getDraft(da.id)).toBeNull();
        expect(await onlyB.draftOf('contract', 'op2')).toBeNull();
        await storeError(onlyB.deleteDraft(da.id, inB), 'not_found');
        await onlyB.deleteDraft(db.id, inB);
        expect(await ws.draftOf('contract', 'op3')).toBeNull();
        expect((await ws.draftOf('contract', 'op2'))?.state).toEqual({ v: 'a2' });
      });
    });

    describe('unknown ids', () => {
      it('reads give null; writes say not_found', async () => {
        await load();
        expect(await stores.workspace.getChart('no-such-id')).toBeNull();
        await storeError(stores.workspace.deleteChart('no-such-id', ctx), 'not_found');
        await storeError(stores.workspace.deleteAnnotation('no-such-id', ctx), 'not_found');
        await storeError(stores.workspace.updateAnnotation('no-such-id', { text: 'x' }, ctx), 'not_found');
      });
    });
  });
}

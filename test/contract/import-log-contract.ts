// The ImportLog contract: the run an import leaves, written in the import's own transaction by
// GraphStore.writeBatch and read back here with the operation it wrote into, a scoped log showing only the
// runs into its operations, and the entities an import wrote or matched. Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import type { WriteContext } from '../../server/domain/model.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, P, freshStores, network, person } from './fixtures.ts';

export function importLogContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`ImportLog contract: ${name}`, () => {
    const stores = freshStores(setup);

    describe('import runs', () => {
      const byNum = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));
      const runCtx = (importId: string, seen: unknown[] = []) => ({
        actor: 'importer',
        importId,
        importRun: (r: Parameters<NonNullable<WriteContext['importRun']>>[0]) => {
          seen.push(r);
          return {
            importId,
            created: r.entities.created,
            matched: r.entities.updated + r.entities.unchanged,
          };
        },
      });

      it('keeps a run with the write, built from its counts, newest first; a run is not a data change', async () => {
        expect((await stores.imports.listImportRuns()).total).toBe(0);
        await stores.graph.writeBatch(network(), runCtx('imp-a'));
        const v = await stores.graph.dataVersion();
        const c0 = await stores.counts();
        await stores.graph.writeBatch(network(), runCtx('imp-a'));
        // Re-importing changes nothing but leaves a record that it was done.
        expect(await stores.graph.dataVersion()).toBe(v);
        expect(await stores.counts()).toEqual(c0);
        await stores.graph.writeBatch({ entities: [person('Zed Runner')] }, runCtx('imp-b'));
        const all = await stores.imports.listImportRuns();
        expect(all.total).toBe(3);
        expect(all.items.map((r) => r.importId)).toEqual(['imp-b', 'imp-a', 'imp-a']);
        expect(all.items.map((r) => r.seq)).toEqual([...all.items.map((r) => r.seq)].sort((a, b) => b - a));
        const entities = network().entities!.length;
        expect(all.items.map((r) => r.report)).toEqual([
          { importId: 'imp-b', created: 1, matched: 0 },
          { importId: 'imp-a', created: 0, matched: entities },
          { importId: 'imp-a', created: entities, matched: 0 },
        ]);
        expect(all.items[0].actor).toBe('importer');
        expect(Number.isNaN(Date.parse(all.items[0].at))).toBe(false);
        const a = await stores.imports.listImportRuns({ importId: 'imp-a', limit: 1 });
        expect([a.total, a.items.length, a.items[0].seq]).toEqual([2, 1, all.items[1].seq]);
        expect((await stores.imports.listImportRuns({ offset: 2 })).items.map((r) => r.seq)).toEqual([
          all.items[2].seq,
        ]);
        expect((await stores.imports.listImportRuns({ importId: 'imp-none' })).total).toBe(0);
      });

      it('records the operation each run wrote into; a scoped log reads only the runs into its operations', async () => {
        const general = await stores.operations.defaultOperation();
        const open = await stores.operations.create(
          { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' },
          { actor: 'demo' },
        );
        const closed = await stores.operations.create(
          { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
          { actor: 'dsmith' },
        );
        await stores.graph.writeBatch({ entities: [person('Gen Eral')] }, runCtx('imp-general'));
        await stores.graph.writeBatch(network(), { ...runCtx('imp-open'), operationId: open.id });
        await stores.graph.writeBatch(
          { entities: [person('Zed Closed')] },
          { ...runCtx('imp-closed'), operationId: closed.id },
        );
        // The same import id run again in another operation: each run keeps its own.
        await stores.graph.writeBatch(
          { entities: [person('Zed Closed')] },
          { ...runCtx('imp-open'), operationId: closed.id },
        );
        const all = await stores.imports.listImportRuns();
        expect(all.items.map((r) => [r.importId, r.operationId])).toEqual([
          ['imp-open', closed.id],
          ['imp-closed', closed.id],
          ['imp-open', open.id],
          ['imp-general', general.id],
        ]);
        expect(stores.imports.scoped('all')).toBe(stores.imports);
        const outside = stores.imports.scoped({ operations: [general.id, open.id] });
        const seen = await outside.listImportRuns();
        expect([seen.total, seen.items.map((r) => r.importId)]).toEqual([2, ['imp-open', 'imp-general']]);
        expect(seen.items.every((r) => r.operationId !== closed.id)).toBe(true);
        expect((await outside.listImportRuns({ importId: 'imp-closed' })).total).toBe(0);
        const one = await outside.listImportRuns({ importId: 'imp-open' });
        expect([one.total, one.items[0].operationId]).toEqual([1, open.id]);
        expect((await outside.listImportRuns({ offset: 1, limit: 1 })).items.map((r) => r.importId)).toEqual([
          'imp-general',
        ]);
        const inside = stores.imports.scoped({ operations: [closed.id] });
        expect((await inside.listImportRuns()).items.map((r) => r.importId)).toEqual([
          'imp-open',
          'imp-closed',
        ]);
        expect((await stores.imports.scoped({ operations: [] }).listImportRuns()).total).toBe(0);
      });

      it('lists the entities an import wrote or matched', async () => {
        const first = await stores.graph.writeBatch(network(), { actor: 'importer', importId: 'imp-net' });
        const again = await stores.graph.writeBatch(
          { entities: [network().entities![0], person('Only Second')] },
          { actor: 'importer', importId: 'imp-second' },
        );
        const ids = (q: { importId: string; limit?: number; offset?: number }) =>
          stores.graph.listEntities(q).then((p) => [p.total, p.items.map((e) => e.id)]);
        expect(await ids({ importId: 'imp-second' })).toEqual([2, [...again.entityIds].sort(byNum)]);
        expect(await ids({ importId: 'imp-net', limit: 1000 })).toEqual([
          first.entityIds.length,
          [...new Set(first.entityIds)].sort(byNum),
        ]);
        expect(await ids({ importId: 'imp-none' })).toEqual([0, []]);
        const people = await stores.graph.listEntities({ importId: 'imp-second', type: 'Person' });
        expect(people.items.every((e) => e.type === 'Person')).toBe(true);
      });

      it('writes no run when the write is refused, and no data when the run cannot be built', async () => {
        const bad: WriteBatch = {
          links: [{ type: 'CALLED', from: P('nobody'), to: P('noone'), reports: [] }],
        };
        await expect(stores.graph.writeBatch(bad, runCtx('imp-bad'))).rejects.toThrow();
        expect((await stores.imports.listImportRuns()).total).toBe(0);
        const v = await stores.graph.dataVersion();
        const failing = {
          actor: 'importer',
          importId: 'imp-throws',
          importRun: () => {
            throw new Error('report failed');
          },
        };
        await expect(stores.graph.writeBatch(network(), failing)).rejects.toThrow('report failed');
        expect(await stores.graph.dataVersion()).toBe(v);
        expect((await stores.counts()).entities).toBe(0);
        expect((await stores.imports.listImportRuns()).total).toBe(0);
      });
    });
  });
}

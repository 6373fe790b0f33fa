// The contract of lists read by key (server/store/shared/list-key.ts), the same on every store: entities,
// reports (and the retention queue), notes, charts, users, merges and targets each page by `after` with an
// exact `next`, in the list's own order, agree with offset paging, and refuse a cursor of another kind, a
// cursor with an offset, and an offset past the bound. Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import type { ListOptions, Page } from '../../server/store/common.ts';
import type { Stores } from '../../server/store/stores.ts';
import { proposal } from './cycle-contract.ts';
import { type ContractSetup, ctx, freshStores, person, phone, report, storeError } from './fixtures.ts';

type List = (opts: ListOptions) => Promise<Page<{ id: string }>>;

/**
 * Walks `list` two rows a page by key and checks it against one page of the whole list; returns the ids.
 * `desc`: the list runs newest first.
 */
async function walk(list: List, rows: number, desc: boolean, otherKind: string): Promise<string[]> {
  const whole = await list({ limit: 1000 });
  expect(whole.items).toHaveLength(rows);
  expect(whole.total).toBe(rows);
  expect(whole.next).toBeNull();
  const num = (id: string) => Number(id.replace(/^[a-z]+/, ''));
  const ns = whole.items.map((x) => num(x.id));
  expect(ns).toEqual([...ns].sort((a, b) => (desc ? b - a : a - b)));
  const seen: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages <= rows; pages++) {
    const page = await list({ limit: 2, ...(after ? { after } : {}) });
    expect(page.total).toBe(rows);
    seen.push(...page.items.map((x) => x.id));
    if (!page.next) break;
    // `next` is exact: it is the last row of a page another follows.
    expect(page.next).toBe(page.items[page.items.length - 1].id);
    after = page.next;
  }
  expect(seen).toEqual(whole.items.map((x) => x.id));
  // Offset paging agrees; a cursor at the last row is an empty last page.
  expect((await list({ offset: 2, limit: 2 })).items.map((x) => x.id)).toEqual(seen.slice(2, 4));
  expect(await list({ after: seen[seen.length - 1] })).toMatchObject({ items: [], next: null });
  // Refused, naming the field: a cursor of another kind, a cursor beside an offset, an offset past the bound.
  expect((await storeError(list({ after: otherKind }), 'invalid')).path).toEqual(['after']);
  expect((await storeError(list({ after: seen[0], offset: 2 }), 'invalid')).path).toEqual(['offset']);
  expect((await list({ offset: 5_000 })).items).toEqual([]);
  const deep = await storeError(list({ offset: 5_001 }), 'invalid');
  expect(deep.path).toEqual(['offset']);
  expect(deep.message).toMatch(/after=/);
  return seen;
}

export function listKeysContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`Lists read by key: ${name}`, () => {
    const stores = freshStores(setup);

    it('entities, all and by type, and reports, all and due for review', async () => {
      const refs = ['K-1', 'K-2', 'K-3', 'K-4', 'K-5'];
      await stores.graph.writeBatch(
        {
          reports: refs.map((ref, i) => report(ref, 2, 'B', { reviewDate: `2020-01-0${i + 1}` })),
          entities: [
            ...['Kay One', 'Kay Two', 'Kay Three', 'Kay Four'].map((n) => person(n)),
            ...['+447700900101', '+447700900102', '+447700900103'].map((n) => phone(n)),
          ],
        },
        ctx,
      );
      await walk((o) => stores.graph.listEntities(o), 7, false, 'r1');
      const people = await walk((o) => stores.graph.listEntities({ ...o, type: 'Person' }), 4, false, 'l1');
      expect(people).toHaveLength(4);
      await walk((o) => stores.graph.listEntities({ ...o, type: 'Phone' }), 3, false, '1');
      await walk((o) => stores.graph.listReports(o), 5, false, 'e1');
      // The retention queue: the reports due before a day, by key along the same order.
      const due = await walk(
        (o) => stores.graph.listReports({ ...o, dueBefore: '2020-01-05' }),
        4,
        false,
        't1',
      );
      expect(due).toHaveLength(4);
    });

    it('deconfliction notices: one per shared subject, oldest first', async () => {
      const a = await stores.operations.create(
        { ref: 'KEYA', name: 'A', sensitivity: 'open' },
        { actor: 'anna' },
      );
      const b = await stores.operations.create(
        { ref: 'KEYB', name: 'B', sensitivity: 'open' },
        { actor: 'bob' },
      );
      const phones = () => ({ entities: [1, 2, 3, 4, 5].map((i) => phone(`07700 90030${i}`)) });
      await stores.graph.writeBatch(phones(), { actor: 'anna', operationId: a.id });
      await stores.graph.writeBatch(phones(), { actor: 'bob', operationId: b.id });
      await walk((o) => stores.deconfliction.list(o), 5, false, 'e1');
      await walk((o) => stores.deconfliction.list({ ...o, operations: [b.id] }), 5, false, '12');
    });

    it('import runs, newest first, keyed by their sequence number', async () => {
      for (let i = 0; i < 5; i++)
        await stores.graph.writeBatch(
          { entities: [person(`Run Person ${i}`)] },
          { actor: 'importer', importId: `imp-${i % 2}`, importRun: () => ({ importId: `imp-${i % 2}` }) },
        );
      const runs = (o: ListOptions, importId?: string) =>
        stores.imports
          .listImportRuns({ ...o, ...(importId ? { importId } : {}) })
          .then((p) => ({ ...p, items: p.items.map((r) => ({ id: String(r.seq) })) }));
      await walk((o) => runs(o), 5, true, 'e1');
      await walk((o) => runs(o, 'imp-0'), 3, true, 'r1');
    });

    it('notes, charts, users, merges (newest first) and targets (newest first)', async () => {
      await stores.graph.writeBatch(
        { entities: ['Mo A', 'Mo B', 'Mo C', 'Mo D', 'Mo E'].map((n) => person(n)) },
        ctx,
      );
      const ids = (await stores.graph.listEntities({ limit: 10 })).items.map((e) => e.id);
      for (let i = 0; i < 5; i++)
        await stores.workspace.createAnnotation(
          { target: { kind: 'entity', id: ids[i % 2] }, text: `note ${i}` },
          ctx,
        );
      await walk((o) => stores.workspace.listAnnotations(undefined, o), 5, false, 'e1');
      // One record's notes: along its own index, by key too.
      await walk((o) => stores.workspace.listAnnotations({ kind: 'entity', id: ids[0] }, o), 3, false, 'e1');
      for (let i = 0; i < 5; i++) await stores.workspace.saveChart({ name: `chart ${i}`, state: {} }, ctx);
      await walk((o) => stores.workspace.listCharts(o), 5, false, 'c1');
      for (let i = 0; i < 5; i++)
        await stores.security.createUser({ name: `keyed${i}`, role: 'viewer', passwordHash: 'h' });
      await walk((o) => stores.security.listUsers(o), 5, false, 'u1');
      // Three merges (D into A, E into B, C into A), listed newest first.
      await stores.graph.merge(ids[0], ids[3], ctx);
      await stores.graph.merge(ids[1], ids[4], ctx);
      await stores.graph.merge(ids[0], ids[2], ctx);
      const merges = await walk((o) => stores.graph.listMerges(o), 3, true, 'e1');
      expect(merges).toHaveLength(3);
      for (const e of [ids[0], ids[1], ids[0], ids[1], ids[0]])
        await stores.cycle.saveTarget(proposal(e), ctx);
      await walk((o) => stores.cycle.listTargets(o), 5, true, 'e1');
      // Filtered by entity: the same key, over that entity's targets only.
      await walk((o) => stores.cycle.listTargets({ ...o, entityId: ids[0] }), 3, true, '1');
    });
  });
}

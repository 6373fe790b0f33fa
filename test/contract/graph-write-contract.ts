// The GraphStore contract, writes: batches (idempotent upserts, natural keys, provenance, the data version),
// the input a store refuses, patches and deletes, merges, report disposal and review dates. Part of
// stores-contract.ts.
import { describe, expect, it } from 'vitest';
import type { LinkInput } from '../../server/domain/model.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import {
  type ContractSetup,
  P,
  T,
  ctx,
  freshStores,
  loadNetwork,
  network,
  person,
  phone,
  report,
  storeError,
} from './fixtures.ts';

export function graphWriteContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`GraphStore contract, writes: ${name}`, () => {
    const stores = freshStores(setup);
    const load = () => loadNetwork(stores.graph);

    describe('writes and reads', () => {
      it('writes a batch and reads entities, links and reports back with provenance', async () => {
        const r = await stores.graph.writeBatch(network(), ctx);
        expect(r.entities).toEqual({ created: 6, updated: 0, unchanged: 0 });
        expect(r.links).toEqual({ created: 5, updated: 0, unchanged: 0 });
        expect(r.reports.created).toBe(3);
        expect(new Set(r.entityIds).size).toBe(6);
        const alice = await stores.graph.getEntity(r.entityIds[0]);
        expect(alice).toMatchObject({ type: 'Person', label: 'Alice Archer', key: 'alice archer' });
        expect(alice!.reports.map((x) => x.ref)).toEqual(['R-1A']);
        const called = await stores.graph.getLink(r.linkIds[3]);
        expect(called).toMatchObject({
          type: 'CALLED',
          from: r.entityIds[3],
          to: r.entityIds[4],
          directed: true,
          weight: 12,
          firstSeen: '2024-01-01',
          lastSeen: '2024-01-31',
          grading: { source: 2, intel: 'B' },
        });
        expect(called!.reports.map((x) => x.ref)).toEqual(['R-2B']);
        const rep = await stores.graph.getReport('R-2B');
        expect(rep).toMatchObject({ ref: 'R-2B', source: 2, intel: 'B', handling: 'P', author: 'DC Test' });
        expect(await stores.graph.getReport(rep!.id)).toEqual(rep);
        const c = await stores.counts();
        expect(c).toMatchObject({ entities: 6, links: 5, reports: 3 });
        expect(c.entitiesByType).toMatchObject({ Person: 3, Phone: 3 });
        expect(c.linksByType).toMatchObject({ USES: 3, CALLED: 2 });
        expect(await stores.graph.getEntities([r.entityIds[1], 'no-such-id', r.entityIds[0]])).toMatchObject([
          { label: 'Bob Baker' },
          { label: 'Alice Archer' },
        ]);
      });

      it('the same batch again changes nothing and leaves the data version alone', async () => {
        const first = await stores.graph.writeBatch(network(), ctx);
        const v = await stores.graph.dataVersion();
        expect(first.dataVersion).toBe(v);
        const again = await stores.graph.writeBatch(network(), ctx);
        expect(again.entities).toEqual({ created: 0, updated: 0, unchanged: 6 });
        expect(again.links).toEqual({ created: 0, updated: 0, unchanged: 5 });
        expect(again.reports).toEqual({ created: 0, updated: 0, unchanged: 3 });
        expect(again.entityIds).toEqual(first.entityIds);
        expect(again.linkIds).toEqual(first.linkIds);
        expect(await stores.graph.dataVersion()).toBe(v);
        expect((await stores.counts()).links).toBe(5);
      });

      it('an existing entity or link that gains a report or an import is updated, and the version rises', async () => {
        const first = await stores.graph.writeBatch(network(), ctx);
        const v = await stores.graph.dataVersion();
        const more = await stores.graph.writeBatch(
          {
            reports: [report('R-NEW', 1, 'B')],
            entities: [person('Alice Archer', { reports: ['R-NEW'] })],
            links: [{ type: 'USES', from: P('alice archer'), to: T('+447700900001'), reports: ['R-NEW'] }],
          },
          ctx,
        );
        expect(more.entities).toEqual({ created: 0, updated: 1, unchanged: 0 });
        expect(more.links).toEqual({ created: 0, updated: 1, unchanged: 0 });
        expect(more.entityIds[0]).toBe(first.entityIds[0]);
        expect(more.linkIds[0]).toBe(first.linkIds[0]);
        const v2 = await stores.graph.dataVersion();
        expect(v2).toBeGreaterThan(v);
        expect((await stores.graph.getEntity(first.entityIds[0]))!.reports.map((x) => x.ref).sort()).toEqual([
          'R-1A',
          'R-NEW',
        ]);
        expect((await stores.graph.getLink(first.linkIds[0]))!.reports.map((x) => x.ref).sort()).toEqual([
          'R-1A',
          'R-NEW',
        ]);
        // The same facts from another import: provenance grows, so they are updated again.
        const other = await stores.graph.writeBatch(
          { entities: [person('Alice Archer')] },
          { actor: 'contract', importId: 'imp-other' },
        );
        expect(other.entities).toEqual({ created: 0, updated: 1, unchanged: 0 });
        expect(await stores.graph.dataVersion()).toBeGreaterThan(v2);
      });

      it('the data version rises on every write that changes something', async () => {
        const v0 = await stores.graph.dataVersion();
        const r = await stores.graph.writeBatch({ entities: [person('Dan Dare')] }, ctx);
        const v1 = await stores.graph.dataVersion();
        expect(v1).toBeGreaterThan(v0);
        await stores.graph.writeBatch(
          { entities: [person('Dan Dare', { properties: { nickname: 'DD' } })] },
          ctx,
        );
        const v2 = await stores.graph.dataVersion();
        expect(v2).toBeGreaterThan(v1);
        expect((await stores.graph.getEntity(r.entityIds[0]))!.properties).toEqual({ nickname: 'DD' });
        await stores.graph.updateEntity(r.entityIds[0], { label: 'Daniel Dare' }, ctx);
        expect(await stores.graph.dataVersion()).toBeGreaterThan(v2);
      });

      it('recognises the same thing by natural key: phone formats, unicode forms, white space', async () => {
        const nfc = 'Jos\u00e9 Mu\u00f1oz';
        const nfd = nfc.normalize('NFD');
        expect(nfd).not.toBe(nfc);
        const r = await stores.graph.writeBatch(
          {
            entities: [
              phone('07700 900123'),
              phone('+44 7700 900123'),
              person(nfc),
              person(`  ${nfd}  `),
              { type: 'Vehicle', label: 'ab12 cde' },
              { type: 'Vehicle', label: 'AB12CDE' },
            ],
          },
          ctx,
        );
        expect(r.entityIds[0]).toBe(r.entityIds[1]);
        expect(r.entityIds[2]).toBe(r.entityIds[3]);
        expect(r.entityIds[4]).toBe(r.entityIds[5]);
        expect((await stores.counts()).entities).toBe(3);
        const p = await stores.graph.findEntity('Person', nfd.toLowerCase());
        expect(p?.id).toBe(r.entityIds[2]);
        expect(p?.label).toBe(nfc);
        expect((await stores.graph.findEntity('Phone', '+447700900123'))?.id).toBe(r.entityIds[0]);
        expect(await stores.graph.findEntity('Phone', '+449999999999')).toBeNull();
      });

      it('keeps one link per (type, from, to); undirected links match either way round', async () => {
        const r = await stores.graph.writeBatch(
          {
            entities: [person('Ann'), person('Ben')],
            links: [
              { type: 'ASSOCIATE_OF', from: P('ann'), to: P('ben') },
              { type: 'ASSOCIATE_OF', from: P('ben'), to: P('ann') },
              { type: 'RELATIVE_OF', from: P('ben'), to: P('ann') },
            ],
          },
          ctx,
        );
        expect(r.linkIds[0]).toBe(r.linkIds[1]);
        expect(r.linkIds[2]).not.toBe(r.linkIds[0]);
        expect((await stores.counts()).links).toBe(2);
        const assoc = await stores.graph.getLink(r.linkIds[0]);
        expect(assoc!.directed).toBe(false);
        // Directed links keep their direction: a call each way is two links.
        const c = await stores.graph.writeBatch(
          {
            entities: [phone('07700 900010'), phone('07700 900011')],
            links: [
              { type: 'CALLED', from: T('+447700900010'), to: T('+447700900011') },
              { type: 'CALLED', from: T('+447700900011'), to: T('+447700900010') },
            ],
          },
          ctx,
        );
        expect(c.linkIds[0]).not.toBe(c.linkIds[1]);
      });

      it('combines a repeated link: larger weight, widened dates, reports united', async () => {
        const ids = await load();
        const r = await stores.graph.writeBatch(
          {
            reports: [report('R-1B', 1, 'B')],
            links: [
              {
                type: 'CALLED',
                from: T('+447700900001'),
                to: T('+447700900002'),
                weight: 4,
                firstSeen: '2023-12-20',
                lastSeen: '2024-01-10',
                reports: ['R-1B'],
              },
            ],
          },
          ctx,
        );
        expect(r.links.updated).toBe(1);
        const l = await stores.graph.getLink(r.linkIds[0]);
        expect(l).toMatchObject({
          from: ids['07700 900001'],
          weight: 12,
          firstSeen: '2023-12-20',
          lastSeen: '2024-01-31',
          grading: { source: 1, intel: 'B' },
        });
        expect(l!.reports.map((x) => x.ref).sort()).toEqual(['R-1B', 'R-2B']);
      });

      it('updates entities and links by patch', async () => {
        const ids = await load();
        const e = await stores.graph.updateEntity(
          ids['Alice Archer'],
          { label: 'Alice Archer-Smith', properties: { dob: '1990-01-01' }, addReports: ['R-3E'] },
          ctx,
        );
        expect(e).toMatchObject({ label: 'Alice Archer-Smith', properties: { dob: '1990-01-01' } });
        expect(e.reports.map((x) => x.ref).sort()).toEqual(['R-1A', 'R-3E']);
        const links = await stores.graph.listLinks({ type: 'CALLED', entityId: ids['07700 900001'] });
        expect(links.total).toBe(1);
        const l = await stores.graph.updateLink(
          links.items[0].id,
          { weight: 20, addReports: ['R-1A'], removeReports: ['R-2B'], lastSeen: '2024-02-01' },
          ctx,
        );
        expect(l).toMatchObject({ weight: 20, lastSeen: '2024-02-01', grading: { source: 1, intel: 'A' } });
        await storeError(stores.graph.updateLink(links.items[0].id, { weight: -1 }, ctx), 'invalid');
        await storeError(
          stores.graph.updateEntity(ids['Bob Baker'], { addReports: ['NO-SUCH-REF'] }, ctx),
          'invalid',
        );
      });

      it('deletes an entity with its links, and a link alone', async () => {
        const ids = await load();
        const v = await stores.graph.dataVersion();
        await stores.graph.deleteEntity(ids['07700 900002'], ctx);
        expect(await stores.graph.getEntity(ids['07700 900002'])).toBeNull();
        const c = await stores.counts();
        expect(c).toMatchObject({ entities: 5, links: 2 });
        expect(await stores.graph.dataVersion()).toBeGreaterThan(v);
        const l = (await stores.graph.listLinks()).items[0];
        await stores.graph.deleteLink(l.id, ctx);
        expect(await stores.graph.getLink(l.id)).toBeNull();
        expect((await stores.counts()).links).toBe(1);
      });
    });

    describe('refuses invalid input and writes nothing', () => {
      async function refused(batch: WriteBatch, path: (string | number)[], message: RegExp): Promise<void> {
        await stores.graph.writeBatch({ entities: [person('Existing Person')] }, ctx);
        const before = await stores.counts();
        const v = await stores.graph.dataVersion();
        const err = await storeError(stores.graph.writeBatch(batch, ctx), 'invalid');
        expect(err.path.slice(0, path.length)).toEqual(path);
        expect(err.message).toMatch(message);
        expect(await stores.counts()).toEqual(before);
        expect(await stores.graph.dataVersion()).toBe(v);
      }

      it('a bad grading', () =>
        refused(
          { reports: [report('OK-1', 1, 'A'), { ...report('BAD', 1, 'A'), source: 4 as 1 }] },
          ['reports', 1, 'source'],
          /source evaluation 4/,
        ));
      it('an unknown intelligence assessment', () =>
        refused(
          { reports: [{ ...report('BAD', 1, 'A'), intel: 'F' as 'A' }] },
          ['reports', 0, 'intel'],
          /F/,
        ));
      it('handling code C without its conditions', () =>
        refused(
          { reports: [report('R-C', 2, 'B', { handling: 'C' })] },
          ['reports', 0, 'conditions'],
          /handling code C requires its conditions/,
        ));
      it('a CALLED link between two people, naming the rule', () =>
        refused(
          {
            entities: [person('Pat One'), person('Pat Two')],
            links: [
              { type: 'ASSOCIATE_OF', from: P('pat one'), to: P('pat two') },
              { type: 'CALLED', from: P('pat one'), to: P('pat two') },
            ],
          },
          ['links', 1],
          /CALLED.*Phone.*Person/s,
        ));
      it('an unknown entity type', () =>
        refused(
          { entities: [{ type: 'Spaceship' as 'Person', label: 'X' }] },
          ['entities', 0, 'type'],
          /Spaceship/,
        ));
      it('an unknown link type', () =>
        refused(
          { links: [{ type: 'LIKES' as 'CALLED', from: P('existing person'), to: P('existing person') }] },
          ['links', 0, 'type'],
          /LIKES/,
        ));
      it('a self-link', () =>
        refused(
          {
            entities: [person('Sam Self')],
            links: [{ type: 'ASSOCIATE_OF', from: P('sam self'), to: P('sam self') }],
          },
          ['links', 0],
          /itself/,
        ));
      it('a batch with one bad row among good ones (unknown endpoint)', () =>
        refused(
          {
            reports: [report('GOOD-1', 2, 'B')],
            entities: [person('Good One', { reports: ['GOOD-1'] }), person('Good Two')],
            links: [
              { type: 'ASSOCIATE_OF', from: P('good one'), to: P('good two'), reports: ['GOOD-1'] },
              { type: 'ASSOCIATE_OF', from: P('good one'), to: P('nobody at all') },
            ],
          },
          ['links', 1, 'to'],
          /nobody at all/,
        ));
      it('a reference to a report that does not exist', () =>
        refused(
          { entities: [person('No Report', { reports: ['MISSING'] })] },
          ['entities', 0, 'reports', 0],
          /MISSING/,
        ));
      it('a negative weight', () =>
        refused(
          {
            entities: [person('W One'), person('W Two')],
            links: [{ type: 'ASSOCIATE_OF', from: P('w one'), to: P('w two'), weight: -2 } as LinkInput],
          },
          ['links', 0, 'weight'],
          /weight/,
        ));

      it('a report ref reused with different content is a conflict', async () => {
        await stores.graph.writeBatch({ reports: [report('R-X', 2, 'B')] }, ctx);
        const err = await storeError(
          stores.graph.writeBatch({ reports: [report('R-X', 1, 'A')] }, ctx),
          'conflict',
        );
        expect(err.message).toMatch(/R-X/);
        expect((await stores.graph.getReport('R-X'))!.source).toBe(2);
      });

      it('keeps handling code C with its conditions', async () => {
        await stores.graph.writeBatch(
          { reports: [report('R-C', 2, 'B', { handling: 'C', conditions: 'No onward sharing' })] },
          ctx,
        );
        expect(await stores.graph.getReport('R-C')).toMatchObject({
          handling: 'C',
          conditions: 'No onward sharing',
        });
      });
    });

    describe('merge and unmerge', () => {
      async function snapshotOf(ids: string[]) {
        const entities = await Promise.all(ids.map((i) => stores.graph.getEntity(i)));
        const links = [];
        for (const i of ids)
          links.push(...(await stores.graph.listLinks({ entityId: i, limit: 1000 })).items);
        const details = await Promise.all(
          [...new Set(links.map((l) => l.id))].sort().map((l) => stores.graph.getLink(l)),
        );
        return { entities, details, counts: await stores.counts() };
      }

      it('moves links and reports, combines colliding links, resolves the dropped key, and undoes exactly', async () => {
        const r = await stores.graph.writeBatch(
          {
            reports: [report('M-1', 2, 'B'), report('M-2', 1, 'A')],
            entities: [
              person('John Smith', { properties: { dob: '1980-05-05' }, key: 'js-1', reports: ['M-1'] }),
              person('Johnny Smith', { properties: { nickname: 'JJ' }, key: 'js-2', reports: ['M-2'] }),
              person('Kim Lee'),
              person('Ola Nordmann'),
            ],
            links: [
              {
                type: 'ASSOCIATE_OF',
                from: P('js-1'),
                to: P('kim lee'),
                weight: 2,
                firstSeen: '2024-02-01',
                reports: ['M-1'],
              },
              {
                type: 'ASSOCIATE_OF',
                from: P('js-2'),
                to: P('kim lee'),
                weight: 5,
                firstSeen: '2024-01-01',
                lastSeen: '2024-03-01',
                reports: ['M-2'],
              },
              { type: 'ASSOCIATE_OF', from: P('js-2'), to: P('ola nordmann'), reports: ['M-2'] },
              { type: 'RELATIVE_OF', from: P('js-1'), to: P('js-2') },
            ],
          },
          ctx,
        );
        const [keep, drop, kim, ola] = r.entityIds;
        const before = await snapshotOf([keep, drop, kim, ola]);
        const v = await stores.graph.dataVersion();

        const m = await stores.graph.merge(keep, drop, ctx);
        expect(m).toMatchObject({ keptId: keep, mergedId: drop, actor: 'contract', undone: false });
        expect(await stores.graph.dataVersion()).toBeGreaterThan(v);
        expect(await stores.graph.getEntity(drop)).toBeNull();
        const kept = await stores.graph.getEntity(keep);
        expect(kept!.reports.map((x) => x.ref).sort()).toEqual(['M-1', 'M-2']);
        expect(kept!.aliases).toContain('js-2');
        expect(kept!.properties).toMatchObject({ dob: '1980-05-05', nickname: 'JJ' });
        const links = (await stores.graph.listLinks({ entityId: keep })).items;
        expect(links).toHaveLength(2);
        const toKim = links.find((l) => l.from === kim || l.to === kim)!;
        expect(toKim).toMatchObject({ weight: 5, firstSeen: '2024-01-01', lastSeen: '2024-03-01' });
        expect(toKim.grading).toEqual({ source: 1, intel: 'A' });
        expect((await stores.graph.getLink(toKim.id))!.reports.map((x) => x.ref).sort()).toEqual([
          'M-1',
          'M-2',
        ]);
        expect(links.some((l) => l.from === ola || l.to === ola)).toBe(true);
        expect((await stores.counts()).entities).toBe(3);
        // The dropped key now names the kept entity.
        expect((await stores.graph.findEntity('Person', 'js-2'))?.id).toBe(keep);
        const again = await stores.graph.writeBatch(
          { entities: [person('John Smith', { key: 'js-2' })] },
          ctx,
        );
        expect(again.entityIds[0]).toBe(keep);
        expect(again.entities.unchanged).toBe(1);
        expect((await stores.graph.listMerges()).items[0]).toMatchObject({ id: m.id, undone: false });

        await stores.graph.unmerge(m.id, ctx);
        const after = await snapshotOf([keep, drop, kim, ola]);
        expect(after).toEqual(before);
        expect((await stores.graph.findEntity('Person', 'js-2'))?.id).toBe(drop);
        expect((await stores.graph.listMerges()).items[0]).toMatchObject({ id: m.id, undone: true });
        await storeError(stores.graph.unmerge(m.id, ctx), 'conflict');
      });

      it('refuses to merge an entity with itself or across types', async () => {
        const ids = await load();
        const v = await stores.graph.dataVersion();
        await storeError(stores.graph.merge(ids['Alice Archer'], ids['Alice Archer'], ctx), 'conflict');
        const err = await storeError(
          stores.graph.merge(ids['Alice Archer'], ids['07700 900001'], ctx),
          'conflict',
        );
        expect(err.message).toMatch(/Phone|Person/);
        expect(await stores.graph.dataVersion()).toBe(v);
        expect((await stores.counts()).entities).toBe(6);
      });
    });

    describe('deleteReport', () => {
      it('removes what rested on that report alone, with the links of removed entities', async () => {
        const r = await stores.graph.writeBatch(
          {
            reports: [report('D-1', 1, 'A'), report('D-2', 3, 'E')],
            entities: [
              person('Keeps', { reports: ['D-1', 'D-2'] }),
              person('Goes', { reports: ['D-2'] }),
              person('Unreported'),
            ],
            links: [
              { type: 'ASSOCIATE_OF', from: P('keeps'), to: P('unreported'), reports: ['D-1', 'D-2'] },
              { type: 'RELATIVE_OF', from: P('keeps'), to: P('unreported'), reports: ['D-2'] },
              { type: 'ASSOCIATE_OF', from: P('goes'), to: P('unreported'), reports: ['D-1'] },
            ],
          },
          ctx,
        );
        const [keeps, goes, unreported] = r.entityIds;
        const [both, soleD2, ofGoes] = r.linkIds;
        const out = await stores.graph.deleteReport('D-2', ctx);
        expect(out.entities).toEqual([goes]);
        expect(out.links.sort()).toEqual([soleD2, ofGoes].sort());
        expect(await stores.graph.getReport('D-2')).toBeNull();
        expect(await stores.graph.getEntity(goes)).toBeNull();
        expect(await stores.graph.getEntity(unreported)).not.toBeNull();
        expect((await stores.graph.getEntity(keeps))!.reports.map((x) => x.ref)).toEqual(['D-1']);
        const l = await stores.graph.getLink(both);
        expect(l!.reports.map((x) => x.ref)).toEqual(['D-1']);
        expect(l!.grading).toEqual({ source: 1, intel: 'A' });
        expect(await stores.graph.getLink(soleD2)).toBeNull();
      });
    });

    describe('review dates', () => {
      it('sets a review date by grading on entry, keeps it on re-writes, and moves it on retain', async () => {
        await stores.graph.writeBatch(
          {
            reports: [
              report('RV-2B', 2, 'B'),
              report('RV-3E', 3, 'E'),
              report('RV-GIVEN', 2, 'B', { reviewDate: '2025-03-01' }),
            ],
          },
          ctx,
        );
        // 2024-01-01 plus the retention table's period: six years by default, one for 3 or E.
        expect((await stores.graph.getReport('RV-2B'))!.reviewDate).toBe('2030-01-01');
        expect((await stores.graph.getReport('RV-3E'))!.reviewDate).toBe('2025-01-01');
        expect((await stores.graph.getReport('RV-GIVEN'))!.reviewDate).toBe('2025-03-01');
        if (!stores.graph.setReportReviewDate) return;
        const v = await stores.graph.dataVersion();
        const moved = await stores.graph.setReportReviewDate('RV-3E', '2027-06-30', ctx);
        expect(moved).toMatchObject({ ref: 'RV-3E', reviewDate: '2027-06-30', source: 3, intel: 'E' });
        expect(await stores.graph.dataVersion()).toBeGreaterThan(v);
        // Written again as the source gave it (no review date): the same report, its date left alone.
        const again = await stores.graph.writeBatch({ reports: [report('RV-3E', 3, 'E')] }, ctx);
        expect(again.reports).toEqual({ created: 0, updated: 0, unchanged: 1 });
        expect((await stores.graph.getReport('RV-3E'))!.reviewDate).toBe('2027-06-30');
        await storeError(stores.graph.setReportReviewDate('RV-NONE', '2027-06-30', ctx), 'not_found');
        await storeError(stores.graph.setReportReviewDate('RV-2B', '30/06/2027', ctx), 'invalid');
        expect((await stores.graph.getReport('RV-2B'))!.reviewDate).toBe('2030-01-01');
      });
    });
  });
}

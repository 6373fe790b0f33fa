// The contract every GraphStore keeps, as a describe() factory: the SQLite store and the Neo4j store run the
// same tests. Store-agnostic: ids are opaque strings, and each test builds its own data on a fresh store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  EntityInput,
  LinkInput,
  ReportInput,
  ViewFilter,
  WriteContext,
} from '../../server/domain/model.ts';
import type { GraphStore, WriteBatch } from '../../server/store/graph-store.ts';
import { StoreError } from '../../server/store/graph-store.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';

export interface ContractHooks {
  /** Tries to change an audit record behind the store's back; must throw if the store keeps audit append-only. */
  tamperAudit?: (store: GraphStore, seq: number) => Promise<void>;
}

const ctx = { actor: 'contract', importId: 'imp-contract' };

const report = (
  ref: string,
  source: 1 | 2 | 3,
  intel: 'A' | 'B' | 'C' | 'D' | 'E',
  extra: Partial<ReportInput> = {},
) =>
  ({
    ref,
    date: '2024-01-01',
    author: 'DC Test',
    text: `report ${ref}`,
    source,
    intel,
    handling: 'P',
    ...extra,
  }) as ReportInput;
const person = (name: string, extra: Partial<EntityInput> = {}): EntityInput => ({
  type: 'Person',
  label: name,
  ...extra,
});
const phone = (num: string, extra: Partial<EntityInput> = {}): EntityInput => ({
  type: 'Phone',
  label: num,
  properties: { number: num },
  ...extra,
});
const P = (key: string) => ({ type: 'Person' as const, key });
const T = (key: string) => ({ type: 'Phone' as const, key });

/** Expects `p` to reject with a StoreError of `code`, and returns it. */
async function storeError(p: Promise<unknown>, code: StoreError['code']): Promise<StoreError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a StoreError').toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
  return err as StoreError;
}

/** A small network: three people, their phones and calls, with reports of different gradings. */
const network = (): WriteBatch => ({
  reports: [report('R-1A', 1, 'A'), report('R-2B', 2, 'B'), report('R-3E', 3, 'E')],
  entities: [
    person('Alice Archer', { reports: ['R-1A'] }),
    person('Bob Baker', { reports: ['R-2B'] }),
    person('Carol Cole', { reports: ['R-3E'] }),
    phone('07700 900001'),
    phone('07700 900002'),
    phone('07700 900003'),
  ],
  links: [
    { type: 'USES', from: P('alice archer'), to: T('+447700900001'), reports: ['R-1A'] },
    { type: 'USES', from: P('bob baker'), to: T('+447700900002'), reports: ['R-2B'] },
    { type: 'USES', from: P('carol cole'), to: T('+447700900003'), reports: ['R-3E'] },
    {
      type: 'CALLED',
      from: T('+447700900001'),
      to: T('+447700900002'),
      weight: 12,
      firstSeen: '2024-01-01',
      lastSeen: '2024-01-31',
      reports: ['R-2B'],
    },
    {
      type: 'CALLED',
      from: T('+447700900002'),
      to: T('+447700900003'),
      weight: 3,
      firstSeen: '2024-03-01',
      lastSeen: '2024-03-15',
      reports: ['R-3E'],
    },
  ],
});

export function storeContract(
  name: string,
  createStore: () => Promise<GraphStore>,
  cleanup?: (s: GraphStore) => Promise<void>,
  hooks: ContractHooks = {},
): void {
  describe(`GraphStore contract: ${name}`, () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await createStore();
      await store.init();
    });
    afterEach(async () => {
      if (cleanup) await cleanup(store);
      await store.close();
    });

    /** Ids of the network's entities by label. */
    async function load(): Promise<Record<string, string>> {
      const r = await store.writeBatch(network(), ctx);
      const b = network();
      const ids: Record<string, string> = {};
      b.entities!.forEach((e, i) => (ids[e.label] = r.entityIds[i]));
      return ids;
    }

    describe('writes and reads', () => {
      it('starts empty and init is idempotent', async () => {
        await store.init();
        const c = await store.counts();
        expect([c.entities, c.links, c.reports, c.annotations, c.charts, c.audit]).toEqual([
          0, 0, 0, 0, 0, 0,
        ]);
      });

      it('writes a batch and reads entities, links and reports back with provenance', async () => {
        const r = await store.writeBatch(network(), ctx);
        expect(r.entities).toEqual({ created: 6, updated: 0, unchanged: 0 });
        expect(r.links).toEqual({ created: 5, updated: 0, unchanged: 0 });
        expect(r.reports.created).toBe(3);
        expect(new Set(r.entityIds).size).toBe(6);
        const alice = await store.getEntity(r.entityIds[0]);
        expect(alice).toMatchObject({ type: 'Person', label: 'Alice Archer', key: 'alice archer' });
        expect(alice!.reports.map((x) => x.ref)).toEqual(['R-1A']);
        const called = await store.getLink(r.linkIds[3]);
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
        const rep = await store.getReport('R-2B');
        expect(rep).toMatchObject({ ref: 'R-2B', source: 2, intel: 'B', handling: 'P', author: 'DC Test' });
        expect(await store.getReport(rep!.id)).toEqual(rep);
        const c = await store.counts();
        expect(c).toMatchObject({ entities: 6, links: 5, reports: 3 });
        expect(c.entitiesByType).toMatchObject({ Person: 3, Phone: 3 });
        expect(c.linksByType).toMatchObject({ USES: 3, CALLED: 2 });
        expect(await store.getEntities([r.entityIds[1], 'no-such-id', r.entityIds[0]])).toMatchObject([
          { label: 'Bob Baker' },
          { label: 'Alice Archer' },
        ]);
      });

      it('the same batch again changes nothing and leaves the data version alone', async () => {
        const first = await store.writeBatch(network(), ctx);
        const v = await store.dataVersion();
        expect(first.dataVersion).toBe(v);
        const again = await store.writeBatch(network(), ctx);
        expect(again.entities).toEqual({ created: 0, updated: 0, unchanged: 6 });
        expect(again.links).toEqual({ created: 0, updated: 0, unchanged: 5 });
        expect(again.reports).toEqual({ created: 0, updated: 0, unchanged: 3 });
        expect(again.entityIds).toEqual(first.entityIds);
        expect(again.linkIds).toEqual(first.linkIds);
        expect(await store.dataVersion()).toBe(v);
        expect((await store.counts()).links).toBe(5);
      });

      it('an existing entity or link that gains a report or an import is updated, and the version rises', async () => {
        const first = await store.writeBatch(network(), ctx);
        const v = await store.dataVersion();
        const more = await store.writeBatch(
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
        const v2 = await store.dataVersion();
        expect(v2).toBeGreaterThan(v);
        expect((await store.getEntity(first.entityIds[0]))!.reports.map((x) => x.ref).sort()).toEqual([
          'R-1A',
          'R-NEW',
        ]);
        expect((await store.getLink(first.linkIds[0]))!.reports.map((x) => x.ref).sort()).toEqual([
          'R-1A',
          'R-NEW',
        ]);
        // The same facts from another import: provenance grows, so they are updated again.
        const other = await store.writeBatch(
          { entities: [person('Alice Archer')] },
          { actor: 'contract', importId: 'imp-other' },
        );
        expect(other.entities).toEqual({ created: 0, updated: 1, unchanged: 0 });
        expect(await store.dataVersion()).toBeGreaterThan(v2);
      });

      it('the data version rises on every write that changes something', async () => {
        const v0 = await store.dataVersion();
        const r = await store.writeBatch({ entities: [person('Dan Dare')] }, ctx);
        const v1 = await store.dataVersion();
        expect(v1).toBeGreaterThan(v0);
        await store.writeBatch({ entities: [person('Dan Dare', { properties: { nickname: 'DD' } })] }, ctx);
        const v2 = await store.dataVersion();
        expect(v2).toBeGreaterThan(v1);
        expect((await store.getEntity(r.entityIds[0]))!.properties).toEqual({ nickname: 'DD' });
        await store.updateEntity(r.entityIds[0], { label: 'Daniel Dare' }, ctx);
        expect(await store.dataVersion()).toBeGreaterThan(v2);
      });

      it('recognises the same thing by natural key: phone formats, unicode forms, white space', async () => {
        const nfc = 'Jos\u00e9 Mu\u00f1oz';
        const nfd = nfc.normalize('NFD');
        expect(nfd).not.toBe(nfc);
        const r = await store.writeBatch(
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
        expect((await store.counts()).entities).toBe(3);
        const p = await store.findEntity('Person', nfd.toLowerCase());
        expect(p?.id).toBe(r.entityIds[2]);
        expect(p?.label).toBe(nfc);
        expect((await store.findEntity('Phone', '+447700900123'))?.id).toBe(r.entityIds[0]);
        expect(await store.findEntity('Phone', '+449999999999')).toBeNull();
      });

      it('keeps one link per (type, from, to); undirected links match either way round', async () => {
        const r = await store.writeBatch(
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
        expect((await store.counts()).links).toBe(2);
        const assoc = await store.getLink(r.linkIds[0]);
        expect(assoc!.directed).toBe(false);
        // Directed links keep their direction: a call each way is two links.
        const c = await store.writeBatch(
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
        const r = await store.writeBatch(
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
        const l = await store.getLink(r.linkIds[0]);
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
        const e = await store.updateEntity(
          ids['Alice Archer'],
          { label: 'Alice Archer-Smith', properties: { dob: '1990-01-01' }, addReports: ['R-3E'] },
          ctx,
        );
        expect(e).toMatchObject({ label: 'Alice Archer-Smith', properties: { dob: '1990-01-01' } });
        expect(e.reports.map((x) => x.ref).sort()).toEqual(['R-1A', 'R-3E']);
        const links = await store.listLinks({ type: 'CALLED', entityId: ids['07700 900001'] });
        expect(links.total).toBe(1);
        const l = await store.updateLink(
          links.items[0].id,
          { weight: 20, addReports: ['R-1A'], removeReports: ['R-2B'], lastSeen: '2024-02-01' },
          ctx,
        );
        expect(l).toMatchObject({ weight: 20, lastSeen: '2024-02-01', grading: { source: 1, intel: 'A' } });
        await storeError(store.updateLink(links.items[0].id, { weight: -1 }, ctx), 'invalid');
        await storeError(
          store.updateEntity(ids['Bob Baker'], { addReports: ['NO-SUCH-REF'] }, ctx),
          'invalid',
        );
      });

      it('deletes an entity with its links, and a link alone', async () => {
        const ids = await load();
        const v = await store.dataVersion();
        await store.deleteEntity(ids['07700 900002'], ctx);
        expect(await store.getEntity(ids['07700 900002'])).toBeNull();
        const c = await store.counts();
        expect(c).toMatchObject({ entities: 5, links: 2 });
        expect(await store.dataVersion()).toBeGreaterThan(v);
        const l = (await store.listLinks()).items[0];
        await store.deleteLink(l.id, ctx);
        expect(await store.getLink(l.id)).toBeNull();
        expect((await store.counts()).links).toBe(1);
      });
    });

    describe('refuses invalid input and writes nothing', () => {
      async function refused(batch: WriteBatch, path: (string | number)[], message: RegExp): Promise<void> {
        await store.writeBatch({ entities: [person('Existing Person')] }, ctx);
        const before = await store.counts();
        const v = await store.dataVersion();
        const err = await storeError(store.writeBatch(batch, ctx), 'invalid');
        expect(err.path.slice(0, path.length)).toEqual(path);
        expect(err.message).toMatch(message);
        expect(await store.counts()).toEqual(before);
        expect(await store.dataVersion()).toBe(v);
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
        await store.writeBatch({ reports: [report('R-X', 2, 'B')] }, ctx);
        const err = await storeError(store.writeBatch({ reports: [report('R-X', 1, 'A')] }, ctx), 'conflict');
        expect(err.message).toMatch(/R-X/);
        expect((await store.getReport('R-X'))!.source).toBe(2);
      });

      it('keeps handling code C with its conditions', async () => {
        await store.writeBatch(
          { reports: [report('R-C', 2, 'B', { handling: 'C', conditions: 'No onward sharing' })] },
          ctx,
        );
        expect(await store.getReport('R-C')).toMatchObject({
          handling: 'C',
          conditions: 'No onward sharing',
        });
      });
    });

    describe('unknown ids', () => {
      it('reads give null or nothing; writes and walks say not_found', async () => {
        const ids = await load();
        const a = ids['Alice Archer'];
        expect(await store.getEntity('no-such-id')).toBeNull();
        expect(await store.getLink('no-such-id')).toBeNull();
        expect(await store.getReport('no-such-ref')).toBeNull();
        expect(await store.getChart('no-such-id')).toBeNull();
        expect(await store.getUser('no-such-id')).toBeNull();
        expect(await store.getUserByName('nobody')).toBeNull();
        expect(await store.getEntities(['no-such-id'])).toEqual([]);
        await storeError(store.updateEntity('no-such-id', { label: 'x' }, ctx), 'not_found');
        await storeError(store.updateLink('no-such-id', { weight: 2 }, ctx), 'not_found');
        await storeError(store.deleteEntity('no-such-id', ctx), 'not_found');
        await storeError(store.deleteLink('no-such-id', ctx), 'not_found');
        await storeError(store.deleteReport('no-such-id', ctx), 'not_found');
        await storeError(store.merge(a, 'no-such-id', ctx), 'not_found');
        await storeError(store.merge('no-such-id', a, ctx), 'not_found');
        await storeError(store.unmerge('no-such-id', ctx), 'not_found');
        await storeError(store.neighbourhood(['no-such-id'], { hops: 1 }), 'not_found');
        await storeError(store.shortestPaths(a, 'no-such-id'), 'not_found');
        await storeError(store.deleteChart('no-such-id', ctx), 'not_found');
        await storeError(store.deleteAnnotation('no-such-id', ctx), 'not_found');
        await storeError(store.updateAnnotation('no-such-id', { text: 'x' }, ctx), 'not_found');
        await storeError(store.updateUser('no-such-id', { disabled: true }), 'not_found');
        // A link id is not an entity id.
        const l = (await store.listLinks()).items[0].id;
        expect(await store.getEntity(l)).toBeNull();
      });
    });

    describe('search', () => {
      it('finds by label, key and string properties, prefix of the last word, filtered by type', async () => {
        const r = await store.writeBatch(
          {
            entities: [
              person('Marcus Whitfield', { properties: { nickname: 'Ghost' } }),
              { type: 'Organisation', label: 'Whitfield Motors Ltd' },
              phone('07700 900555'),
            ],
          },
          ctx,
        );
        const hits = await store.search('whitfield');
        expect(hits.map((h) => h.entity.id).sort()).toEqual([r.entityIds[0], r.entityIds[1]].sort());
        expect((await store.search('whit', { types: ['Organisation'] })).map((h) => h.entity.id)).toEqual([
          r.entityIds[1],
        ]);
        expect((await store.search('ghost'))[0]?.entity.id).toBe(r.entityIds[0]);
        expect((await store.search('447700900555'))[0]?.entity.id).toBe(r.entityIds[2]);
        expect(await store.search('nothing-like-this-anywhere')).toEqual([]);
        expect((await store.search('whitfield', { limit: 1 })).length).toBe(1);
        await store.updateEntity(r.entityIds[0], { label: 'Marcus Greaves' }, ctx);
        expect((await store.search('greaves'))[0]?.entity.id).toBe(r.entityIds[0]);
      });

      it('an entity repeated in one batch under a new label is found by the new label only', async () => {
        const r = await store.writeBatch(
          {
            entities: [
              person('Olivia Oldname', { key: 'oo-1' }),
              person('Yusuf Other'),
              person('Olivia Newname', { key: 'oo-1' }),
            ],
          },
          ctx,
        );
        expect(r.entityIds[0]).toBe(r.entityIds[2]);
        expect((await store.search('newname')).map((h) => h.entity.id)).toEqual([r.entityIds[0]]);
        expect(await store.search('oldname')).toEqual([]);
        expect((await store.search('yusuf')).map((h) => h.entity.id)).toEqual([r.entityIds[1]]);
      });

      it('treats hostile text as plain words, never as a query language', async () => {
        await store.writeBatch({ entities: [person('Drop Table'), person('Near Andor')] }, ctx);
        for (const q of [
          '"; DROP TABLE entities; --',
          'AND OR NEAR(',
          'NOT',
          '*',
          '"',
          "' OR 1=1 --",
          'a:b',
          '(((',
          '^x',
          'MATCH (n) DETACH DELETE n',
          '\u0000',
          '',
          '   ',
        ]) {
          await expect(store.search(q), q).resolves.toBeInstanceOf(Array);
        }
        expect((await store.search('"; DROP TABLE')).map((h) => h.entity.label)).toEqual(['Drop Table']);
        expect((await store.counts()).entities).toBe(2);
      });
    });

    describe('views: neighbourhood, paths, subgraph', () => {
      it('expands k hops from seeds with the links among the nodes found', async () => {
        const ids = await load();
        const one = await store.neighbourhood([ids['Alice Archer']], { hops: 1 });
        expect(one.nodes.map((n) => n.label).sort()).toEqual(['07700 900001', 'Alice Archer']);
        expect(one.links).toHaveLength(1);
        expect(one.truncated).toBe(false);
        const three = await store.neighbourhood([ids['Alice Archer']], { hops: 3 });
        expect(three.nodes.map((n) => n.label).sort()).toEqual([
          '07700 900001',
          '07700 900002',
          '07700 900003',
          'Alice Archer',
          'Bob Baker',
        ]);
        // USES Alice, CALLED 1->2, USES Bob, CALLED 2->3: everything among the nodes found.
        expect(three.links).toHaveLength(4);
        expect(three.dataVersion).toBe(await store.dataVersion());
        const limited = await store.neighbourhood([ids['07700 900002']], { hops: 2, limit: 3 });
        expect(limited.nodes).toHaveLength(3);
        expect(limited.truncated).toBe(true);
        const phonesOnly = await store.neighbourhood([ids['07700 900002']], {
          hops: 4,
          entityTypes: ['Phone'],
        });
        expect(phonesOnly.nodes.map((n) => n.type).sort()).toEqual(['Phone', 'Phone', 'Phone']);
        const calls = await store.neighbourhood([ids['07700 900002']], {
          hops: 2,
          filter: { linkTypes: ['CALLED'] },
        });
        expect(calls.links.every((l) => l.type === 'CALLED')).toBe(true);
        expect(calls.nodes).toHaveLength(3);
        const jan = await store.neighbourhood([ids['07700 900002']], {
          hops: 1,
          filter: { linkTypes: ['CALLED'], from: '2024-01-01', to: '2024-01-31' },
        });
        expect(jan.nodes.map((n) => n.label).sort()).toEqual(['07700 900001', '07700 900002']);
        await storeError(store.neighbourhood([ids['Alice Archer']], { hops: 0 }), 'invalid');
        await storeError(store.neighbourhood([ids['Alice Archer']], { hops: 5 }), 'invalid');
      });

      it('includes the links among the outermost ring, for small and large rings, with the filter applied', async () => {
        // A hub with n spokes; spoke i is linked to spoke i+1 for even i, half of those links in 2023 only.
        for (const n of [5, 150]) {
          const hub = person(`Hub ${n}`, { key: `hub-${n}` });
          const spokes = Array.from({ length: n }, (_, i) =>
            person(`Spoke ${n}-${i}`, { key: `spoke-${n}-${i}` }),
          );
          const pairs = Array.from({ length: n / 5 }, (_, k) => 5 * k);
          const r = await store.writeBatch(
            {
              entities: [hub, ...spokes],
              links: [
                ...spokes.map((s) => ({ type: 'ASSOCIATE_OF' as const, from: P(hub.key!), to: P(s.key!) })),
                ...pairs.map((i) => ({
                  type: 'ASSOCIATE_OF' as const,
                  from: P(spokes[i + 1].key!),
                  to: P(spokes[i].key!),
                  ...(i % 10 === 0 ? { firstSeen: '2023-01-01', lastSeen: '2023-12-31' } : {}),
                })),
              ],
            },
            ctx,
          );
          const one = await store.neighbourhood([r.entityIds[0]], { hops: 1, limit: 1000 });
          expect(one.nodes).toHaveLength(n + 1);
          expect(one.links).toHaveLength(n + pairs.length);
          const in2024 = await store.neighbourhood([r.entityIds[0]], {
            hops: 1,
            limit: 1000,
            filter: { from: '2024-01-01', to: '2024-12-31' },
          });
          // Undated spokes stay; of the ring links only the undated half does.
          expect(in2024.links).toHaveLength(n + pairs.filter((i) => i % 10 !== 0).length);
        }
      });

      it('finds all shortest paths ignoring direction, within maxHops', async () => {
        const r = await store.writeBatch(
          {
            entities: [person('S'), person('M1'), person('M2'), person('Z'), person('Far')],
            links: [
              { type: 'ASSOCIATE_OF', from: P('s'), to: P('m1') },
              { type: 'ASSOCIATE_OF', from: P('s'), to: P('m2') },
              { type: 'TRANSFERRED', from: P('z'), to: P('m1') },
              { type: 'TRANSFERRED', from: P('m2'), to: P('z') },
              { type: 'ASSOCIATE_OF', from: P('z'), to: P('far') },
            ],
          },
          ctx,
        );
        const [s, m1, m2, z, far] = r.entityIds;
        const paths = await store.shortestPaths(s, z);
        expect(paths.map((p) => p.nodes.join('>')).sort()).toEqual(
          [`${s}>${m1}>${z}`, `${s}>${m2}>${z}`].sort(),
        );
        expect(paths.every((p) => p.links.length === 2)).toBe(true);
        expect(await store.shortestPaths(s, far, { maxHops: 2 })).toEqual([]);
        expect((await store.shortestPaths(s, far, { maxHops: 3 }))[0].nodes).toHaveLength(4);
        expect(await store.shortestPaths(s, z, { limit: 1 })).toHaveLength(1);
        expect(await store.shortestPaths(s, s)).toEqual([{ nodes: [s], links: [] }]);
        const onlyAssoc = await store.shortestPaths(s, z, { filter: { linkTypes: ['ASSOCIATE_OF'] } });
        expect(onlyAssoc).toEqual([]);
      });

      it('time window bounds are inclusive; undated links always pass; open ends are open', async () => {
        await store.writeBatch(
          {
            entities: [person('T1'), person('T2'), person('T3'), person('T4'), person('T5')],
            links: [
              {
                type: 'ASSOCIATE_OF',
                from: P('t1'),
                to: P('t2'),
                firstSeen: '2024-01-01',
                lastSeen: '2024-01-31',
              },
              { type: 'RELATIVE_OF', from: P('t1'), to: P('t3') },
              { type: 'ASSOCIATE_OF', from: P('t1'), to: P('t4'), firstSeen: '2024-06-01' },
              {
                type: 'ASSOCIATE_OF',
                from: P('t1'),
                to: P('t5'),
                firstSeen: '2024-02-01T10:00:00Z',
                lastSeen: '2024-02-01T11:00:00Z',
              },
            ],
          },
          ctx,
        );
        const types = async (f: ViewFilter) =>
          (await store.subgraph(f)).links
            .map((l) => `${l.type}:${l.firstSeen ?? '-'}`)
            .sort()
            .join(' ');
        const undated = 'RELATIVE_OF:-';
        expect(await types({ from: '2024-01-31', to: '2024-01-31' })).toBe(
          `ASSOCIATE_OF:2024-01-01 ${undated}`,
        );
        expect(await types({ from: '2023-12-01', to: '2024-01-01' })).toBe(
          `ASSOCIATE_OF:2024-01-01 ${undated}`,
        );
        expect(await types({ from: '2023-01-01', to: '2023-12-31' })).toBe(undated);
        expect(await types({ from: '2024-02-01', to: '2024-02-01' })).toBe(
          `ASSOCIATE_OF:2024-02-01T10:00:00Z ${undated}`,
        );
        expect(await types({ from: '2024-02-02', to: '2024-05-31' })).toBe(undated);
        // Bounds with a time are exact and inclusive to the millisecond.
        const feb1 = `ASSOCIATE_OF:2024-02-01T10:00:00Z ${undated}`;
        expect(await types({ from: '2024-01-15', to: '2024-02-01T10:00:00Z' })).toBe(
          `ASSOCIATE_OF:2024-01-01 ${feb1}`,
        );
        expect(await types({ from: '2024-01-15', to: '2024-02-01T09:59:59Z' })).toBe(
          `ASSOCIATE_OF:2024-01-01 ${undated}`,
        );
        expect(await types({ from: '2024-02-01T11:00:00Z', to: '2024-03-01' })).toBe(feb1);
        expect(await types({ from: '2024-02-01T11:00:01Z', to: '2024-03-01' })).toBe(undated);
        expect(await types({ from: '2030-01-01' })).toBe(`ASSOCIATE_OF:2024-06-01 ${undated}`);
        expect(await types({ to: '2024-01-01' })).toBe(`ASSOCIATE_OF:2024-01-01 ${undated}`);
        await storeError(store.subgraph({ from: '2024-02-01', to: '2024-01-01' }), 'invalid');
        await storeError(store.subgraph({ from: 'yesterday' }), 'invalid');
      });

      it('grading: a link is as strong as its best report; a minimum passes if any report meets it', async () => {
        const r = await store.writeBatch(
          {
            reports: [
              report('G-3E', 3, 'E'),
              report('G-1A', 1, 'A'),
              report('G-2C', 2, 'C'),
              report('G-1D', 1, 'D'),
            ],
            entities: [person('G1'), person('G2'), person('G3'), person('G4'), person('G5')],
            links: [
              { type: 'ASSOCIATE_OF', from: P('g1'), to: P('g2'), reports: ['G-3E', 'G-1A'] },
              { type: 'ASSOCIATE_OF', from: P('g1'), to: P('g3'), reports: ['G-2C'] },
              { type: 'ASSOCIATE_OF', from: P('g1'), to: P('g4') },
              { type: 'ASSOCIATE_OF', from: P('g1'), to: P('g5'), reports: ['G-1D', 'G-2C'] },
            ],
          },
          ctx,
        );
        const [both, twoC, none, mixed] = r.linkIds;
        expect((await store.getLink(both))!.grading).toEqual({ source: 1, intel: 'A' });
        expect((await store.getLink(twoC))!.grading).toEqual({ source: 2, intel: 'C' });
        expect((await store.getLink(none))!.grading).toBeNull();
        // Best by weight (source x assessment): 2C (0.7 x 0.6) beats 1D (1 x 0.4).
        expect((await store.getLink(mixed))!.grading).toEqual({ source: 2, intel: 'C' });
        const pass = async (source: 1 | 2 | 3, intel: 'A' | 'B' | 'C' | 'D' | 'E') =>
          (await store.subgraph({ minGrading: { source, intel } })).links.map((l) => l.id).sort();
        expect(await pass(1, 'A')).toEqual([both]);
        expect(await pass(2, 'C')).toEqual([both, twoC, mixed].sort());
        expect(await pass(1, 'C')).toEqual([both]);
        expect(await pass(1, 'D')).toEqual([both, mixed].sort());
        expect(await pass(3, 'E')).toEqual([both, twoC, mixed].sort());
        expect((await store.subgraph({})).links).toHaveLength(4);
      });

      it('subgraph keeps isolated entities only without link filters, filters types, and truncates', async () => {
        await load();
        await store.writeBatch({ entities: [person('Loner')] }, ctx);
        const all = await store.subgraph({});
        expect(all.nodes).toHaveLength(7);
        expect(all.links).toHaveLength(5);
        expect(all.truncated).toBe(false);
        expect(all.dataVersion).toBe(await store.dataVersion());
        const phones = await store.subgraph({ entityTypes: ['Phone'] });
        expect(phones.nodes.map((n) => n.type)).toEqual(['Phone', 'Phone', 'Phone']);
        expect(phones.links.map((l) => l.type)).toEqual(['CALLED', 'CALLED']);
        const calls = await store.subgraph({ linkTypes: ['CALLED'] });
        expect(calls.nodes).toHaveLength(3);
        const cut = await store.subgraph({}, { limit: 2 });
        expect(cut.links).toHaveLength(2);
        expect(cut.truncated).toBe(true);
        for (const l of cut.links) {
          expect(cut.nodes.some((n) => n.id === l.from) && cut.nodes.some((n) => n.id === l.to)).toBe(true);
        }
      });
    });

    describe('merge and unmerge', () => {
      async function snapshotOf(ids: string[]) {
        const entities = await Promise.all(ids.map((i) => store.getEntity(i)));
        const links = [];
        for (const i of ids) links.push(...(await store.listLinks({ entityId: i, limit: 1000 })).items);
        const details = await Promise.all(
          [...new Set(links.map((l) => l.id))].sort().map((l) => store.getLink(l)),
        );
        return { entities, details, counts: await store.counts() };
      }

      it('moves links and reports, combines colliding links, resolves the dropped key, and undoes exactly', async () => {
        const r = await store.writeBatch(
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
        const v = await store.dataVersion();

        const m = await store.merge(keep, drop, ctx);
        expect(m).toMatchObject({ keptId: keep, mergedId: drop, actor: 'contract', undone: false });
        expect(await store.dataVersion()).toBeGreaterThan(v);
        expect(await store.getEntity(drop)).toBeNull();
        const kept = await store.getEntity(keep);
        expect(kept!.reports.map((x) => x.ref).sort()).toEqual(['M-1', 'M-2']);
        expect(kept!.aliases).toContain('js-2');
        expect(kept!.properties).toMatchObject({ dob: '1980-05-05', nickname: 'JJ' });
        const links = (await store.listLinks({ entityId: keep })).items;
        expect(links).toHaveLength(2);
        const toKim = links.find((l) => l.from === kim || l.to === kim)!;
        expect(toKim).toMatchObject({ weight: 5, firstSeen: '2024-01-01', lastSeen: '2024-03-01' });
        expect(toKim.grading).toEqual({ source: 1, intel: 'A' });
        expect((await store.getLink(toKim.id))!.reports.map((x) => x.ref).sort()).toEqual(['M-1', 'M-2']);
        expect(links.some((l) => l.from === ola || l.to === ola)).toBe(true);
        expect((await store.counts()).entities).toBe(3);
        // The dropped key now names the kept entity.
        expect((await store.findEntity('Person', 'js-2'))?.id).toBe(keep);
        const again = await store.writeBatch({ entities: [person('John Smith', { key: 'js-2' })] }, ctx);
        expect(again.entityIds[0]).toBe(keep);
        expect(again.entities.unchanged).toBe(1);
        expect((await store.listMerges()).items[0]).toMatchObject({ id: m.id, undone: false });

        await store.unmerge(m.id, ctx);
        const after = await snapshotOf([keep, drop, kim, ola]);
        expect(after).toEqual(before);
        expect((await store.findEntity('Person', 'js-2'))?.id).toBe(drop);
        expect((await store.listMerges()).items[0]).toMatchObject({ id: m.id, undone: true });
        await storeError(store.unmerge(m.id, ctx), 'conflict');
      });

      it('refuses to merge an entity with itself or across types', async () => {
        const ids = await load();
        const v = await store.dataVersion();
        await storeError(store.merge(ids['Alice Archer'], ids['Alice Archer'], ctx), 'conflict');
        const err = await storeError(store.merge(ids['Alice Archer'], ids['07700 900001'], ctx), 'conflict');
        expect(err.message).toMatch(/Phone|Person/);
        expect(await store.dataVersion()).toBe(v);
        expect((await store.counts()).entities).toBe(6);
      });
    });

    describe('deleteReport', () => {
      it('removes what rested on that report alone, with the links of removed entities', async () => {
        const r = await store.writeBatch(
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
        const out = await store.deleteReport('D-2', ctx);
        expect(out.entities).toEqual([goes]);
        expect(out.links.sort()).toEqual([soleD2, ofGoes].sort());
        expect(await store.getReport('D-2')).toBeNull();
        expect(await store.getEntity(goes)).toBeNull();
        expect(await store.getEntity(unreported)).not.toBeNull();
        expect((await store.getEntity(keeps))!.reports.map((x) => x.ref)).toEqual(['D-1']);
        const l = await store.getLink(both);
        expect(l!.reports.map((x) => x.ref)).toEqual(['D-1']);
        expect(l!.grading).toEqual({ source: 1, intel: 'A' });
        expect(await store.getLink(soleD2)).toBeNull();
      });
    });

    describe('review dates', () => {
      it('sets a review date by grading on entry, keeps it on re-writes, and moves it on retain', async () => {
        await store.writeBatch(
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
        expect((await store.getReport('RV-2B'))!.reviewDate).toBe('2030-01-01');
        expect((await store.getReport('RV-3E'))!.reviewDate).toBe('2025-01-01');
        expect((await store.getReport('RV-GIVEN'))!.reviewDate).toBe('2025-03-01');
        if (!store.setReportReviewDate) return;
        const v = await store.dataVersion();
        const moved = await store.setReportReviewDate('RV-3E', '2027-06-30', ctx);
        expect(moved).toMatchObject({ ref: 'RV-3E', reviewDate: '2027-06-30', source: 3, intel: 'E' });
        expect(await store.dataVersion()).toBeGreaterThan(v);
        // Written again as the source gave it (no review date): the same report, its date left alone.
        const again = await store.writeBatch({ reports: [report('RV-3E', 3, 'E')] }, ctx);
        expect(again.reports).toEqual({ created: 0, updated: 0, unchanged: 1 });
        expect((await store.getReport('RV-3E'))!.reviewDate).toBe('2027-06-30');
        await storeError(store.setReportReviewDate('RV-NONE', '2027-06-30', ctx), 'not_found');
        await storeError(store.setReportReviewDate('RV-2B', '30/06/2027', ctx), 'invalid');
        expect((await store.getReport('RV-2B'))!.reviewDate).toBe('2030-01-01');
      });
    });

    describe('pagination and listing', () => {
      it('pages entities, links and reports with totals', async () => {
        await store.writeBatch(
          {
            reports: [
              report('P-1', 2, 'B', { reviewDate: '2024-06-01' }),
              report('P-2', 2, 'B', { reviewDate: '2026-06-01' }),
              report('P-3', 2, 'B'),
            ],
            entities: Array.from({ length: 25 }, (_, i) => person(`Person ${String(i).padStart(2, '0')}`)),
          },
          ctx,
        );
        const p1 = await store.listEntities({ limit: 10 });
        const p3 = await store.listEntities({ offset: 20, limit: 10 });
        expect(p1).toMatchObject({ total: 25, offset: 0, limit: 10 });
        expect(p1.items).toHaveLength(10);
        expect(p3.items).toHaveLength(5);
        const all = new Set(
          [...p1.items, ...(await store.listEntities({ offset: 10, limit: 10 })).items, ...p3.items].map(
            (e) => e.id,
          ),
        );
        expect(all.size).toBe(25);
        expect((await store.listEntities({ type: 'Phone' })).total).toBe(0);
        expect((await store.listReports({ dueBefore: '2025-01-01' })).items.map((x) => x.ref)).toEqual([
          'P-1',
        ]);
        expect((await store.listReports()).total).toBe(3);
        await storeError(store.listEntities({ limit: -1 }), 'invalid');
      });
    });

    describe('annotations, charts, users', () => {
      it('creates, updates, lists and deletes annotations', async () => {
        const ids = await load();
        const target = { kind: 'entity' as const, id: ids['Bob Baker'] };
        const a = await store.createAnnotation({ target, text: 'Seen driving', tags: ['vehicle'] }, ctx);
        expect(a).toMatchObject({
          target,
          text: 'Seen driving',
          tags: ['vehicle'],
          targetFlag: false,
          author: 'contract',
        });
        const u = await store.updateAnnotation(a.id, { target_flag: true, text: 'Proposed target' }, ctx);
        expect(u).toMatchObject({ targetFlag: true, text: 'Proposed target', tags: ['vehicle'] });
        await store.createAnnotation({ target: { kind: 'entity', id: ids['Alice Archer'] }, text: 'x' }, ctx);
        expect((await store.listAnnotations(target)).items.map((x) => x.id)).toEqual([a.id]);
        expect((await store.listAnnotations()).total).toBe(2);
        await store.deleteAnnotation(a.id, ctx);
        expect((await store.listAnnotations(target)).total).toBe(0);
        await storeError(
          store.createAnnotation({ target: { kind: 'planet' as 'entity', id: 'x' } }, ctx),
          'invalid',
        );
      });

      it('saves, updates, lists and deletes charts', async () => {
        const c = await store.saveChart({ name: 'Op Sandstone', state: { positions: { a: [1, 2] } } }, ctx);
        expect(c).toMatchObject({
          name: 'Op Sandstone',
          owner: 'contract',
          state: { positions: { a: [1, 2] } },
        });
        const c2 = await store.saveChart({ name: 'Op Sandstone v2', state: { zoom: 2 } }, ctx, c.id);
        expect(c2).toMatchObject({ id: c.id, name: 'Op Sandstone v2', state: { zoom: 2 } });
        expect(await store.getChart(c.id)).toEqual(c2);
        expect((await store.listCharts()).total).toBe(1);
        await storeError(store.saveChart({ name: '', state: {} }, ctx), 'invalid');
        await storeError(store.saveChart({ name: 'x', state: {} }, ctx, 'no-such-id'), 'not_found');
        await store.deleteChart(c.id, ctx);
        expect(await store.getChart(c.id)).toBeNull();
      });

      it('creates, updates and lists users; names are unique', async () => {
        const u = await store.createUser({ name: 'analyst1', role: 'analyst', passwordHash: 'h1' });
        expect(u).toMatchObject({ name: 'analyst1', role: 'analyst', passwordHash: 'h1', disabled: false });
        await storeError(
          store.createUser({ name: 'analyst1', role: 'viewer', passwordHash: 'h2' }),
          'conflict',
        );
        await storeError(
          store.createUser({ name: 'x', role: 'god' as 'admin', passwordHash: 'h' }),
          'invalid',
        );
        const up = await store.updateUser(u.id, { role: 'supervisor', disabled: true });
        expect(up).toMatchObject({ role: 'supervisor', disabled: true, passwordHash: 'h1' });
        expect(await store.getUserByName('analyst1')).toEqual(up);
        expect(await store.getUser(u.id)).toEqual(up);
        expect((await store.listUsers()).total).toBe(1);
      });
    });

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
        expect((await store.listImportRuns()).total).toBe(0);
        await store.writeBatch(network(), runCtx('imp-a'));
        const v = await store.dataVersion();
        const c0 = await store.counts();
        await store.writeBatch(network(), runCtx('imp-a'));
        // Re-importing changes nothing but leaves a record that it was done.
        expect(await store.dataVersion()).toBe(v);
        expect(await store.counts()).toEqual(c0);
        await store.writeBatch({ entities: [person('Zed Runner')] }, runCtx('imp-b'));
        const all = await store.listImportRuns();
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
        const a = await store.listImportRuns({ importId: 'imp-a', limit: 1 });
        expect([a.total, a.items.length, a.items[0].seq]).toEqual([2, 1, all.items[1].seq]);
        expect((await store.listImportRuns({ offset: 2 })).items.map((r) => r.seq)).toEqual([
          all.items[2].seq,
        ]);
        expect((await store.listImportRuns({ importId: 'imp-none' })).total).toBe(0);
      });

      it('lists the entities an import wrote or matched', async () => {
        const first = await store.writeBatch(network(), { actor: 'importer', importId: 'imp-net' });
        const again = await store.writeBatch(
          { entities: [network().entities![0], person('Only Second')] },
          { actor: 'importer', importId: 'imp-second' },
        );
        const ids = (q: { importId: string; limit?: number; offset?: number }) =>
          store.listEntities(q).then((p) => [p.total, p.items.map((e) => e.id)]);
        expect(await ids({ importId: 'imp-second' })).toEqual([2, [...again.entityIds].sort(byNum)]);
        expect(await ids({ importId: 'imp-net', limit: 1000 })).toEqual([
          first.entityIds.length,
          [...new Set(first.entityIds)].sort(byNum),
        ]);
        expect(await ids({ importId: 'imp-none' })).toEqual([0, []]);
        const people = await store.listEntities({ importId: 'imp-second', type: 'Person' });
        expect(people.items.every((e) => e.type === 'Person')).toBe(true);
      });

      it('writes no run when the write is refused, and no data when the run cannot be built', async () => {
        const bad: WriteBatch = {
          links: [{ type: 'CALLED', from: P('nobody'), to: P('noone'), reports: [] }],
        };
        await expect(store.writeBatch(bad, runCtx('imp-bad'))).rejects.toThrow();
        expect((await store.listImportRuns()).total).toBe(0);
        const v = await store.dataVersion();
        const failing = {
          actor: 'importer',
          importId: 'imp-throws',
          importRun: () => {
            throw new Error('report failed');
          },
        };
        await expect(store.writeBatch(network(), failing)).rejects.toThrow('report failed');
        expect(await store.dataVersion()).toBe(v);
        expect((await store.counts()).entities).toBe(0);
        expect((await store.listImportRuns()).total).toBe(0);
      });
    });

    describe('audit', () => {
      it('appends a hash chain that verifies, filters, and cannot be altered', async () => {
        for (let i = 0; i < 5; i++) {
          await store.appendAudit({
            actor: i % 2 ? 'alice' : 'bob',
            action: 'entity.read',
            route: '/api/entities/:id',
            objectIds: [`obj-${i}`],
            outcome: 'ok',
            details: { i, nested: { b: 2, a: 1 } },
            ...(i === 3 ? { justification: 'case 42', recipient: 'CPS' } : {}),
          });
        }
        const all = await store.listAudit({ limit: 100 });
        expect(all.total).toBe(5);
        expect(all.items.map((e) => e.seq)).toEqual([...all.items.map((e) => e.seq)].sort((a, b) => a - b));
        expect(verifyAuditChain(all.items)).toBeNull();
        expect(all.items[3]).toMatchObject({ justification: 'case 42', recipient: 'CPS', details: { i: 3 } });
        expect((await store.listAudit({ actor: 'alice' })).total).toBe(2);
        expect((await store.listAudit({ objectId: 'obj-4' })).items.map((e) => e.objectIds)).toEqual([
          ['obj-4'],
        ]);
        const tampered = all.items.map((e, i) => (i === 2 ? { ...e, actor: 'mallory' } : e));
        expect(verifyAuditChain(tampered)).toMatchObject({ seq: all.items[2].seq });
        if (hooks.tamperAudit) {
          await expect(hooks.tamperAudit(store, all.items[2].seq)).rejects.toThrow();
          expect(verifyAuditChain((await store.listAudit({ limit: 100 })).items)).toBeNull();
        }
        await storeError(store.appendAudit({ actor: '', action: 'x', outcome: 'ok' }), 'invalid');
      });

      it('appends a batch in one go, chained in order after what is there; a bad record writes none', async () => {
        const first = await store.appendAudit({ actor: 'ana', action: 'login', outcome: 'ok' });
        expect(await store.appendAuditBatch([])).toEqual([]);
        const batch = await store.appendAuditBatch(
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
        const after = await store.appendAudit({ actor: 'ana', action: 'logout', outcome: 'ok' });
        expect(after.prevHash).toBe(batch[2].hash);
        const all = await store.listAudit({ limit: 100 });
        // What the batch returned is what was stored, and the whole chain still verifies.
        expect(all.items.slice(1, 4)).toEqual(batch);
        expect(verifyAuditChain(all.items)).toBeNull();

        const bad = store.appendAuditBatch([
          { actor: 'ok', action: 'read', outcome: 'ok' },
          { actor: 'ok', action: 'read', outcome: 'maybe' as 'ok' },
        ]);
        const err = await storeError(bad, 'invalid');
        expect(err.path?.[0]).toBe(1);
        expect((await store.listAudit({ limit: 100 })).total).toBe(5);
      });
    });
  });
}

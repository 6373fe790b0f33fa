// The GraphStore contract, reads: unknown ids, full-text search, the views (neighbourhood, shortest paths,
// subgraph with time windows and gradings) and paged lists. Part of stores-contract.ts.
import { describe, expect, it } from 'vitest';
import type { ViewFilter } from '../../server/domain/model.ts';
import type { Stores } from '../../server/store/stores.ts';
import {
  type ContractSetup,
  P,
  ctx,
  freshStores,
  loadNetwork,
  person,
  phone,
  report,
  storeError,
} from './fixtures.ts';

export function graphReadContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`GraphStore contract, reads: ${name}`, () => {
    const stores = freshStores(setup);
    const load = () => loadNetwork(stores.graph);

    describe('unknown ids', () => {
      it('reads give null or nothing; writes and walks say not_found', async () => {
        const ids = await load();
        const a = ids['Alice Archer'];
        expect(await stores.graph.getEntity('no-such-id')).toBeNull();
        expect(await stores.graph.getLink('no-such-id')).toBeNull();
        expect(await stores.graph.getReport('no-such-ref')).toBeNull();
        expect(await stores.graph.getEntities(['no-such-id'])).toEqual([]);
        await storeError(stores.graph.updateEntity('no-such-id', { label: 'x' }, ctx), 'not_found');
        await storeError(stores.graph.updateLink('no-such-id', { weight: 2 }, ctx), 'not_found');
        await storeError(stores.graph.deleteEntity('no-such-id', ctx), 'not_found');
        await storeError(stores.graph.deleteLink('no-such-id', ctx), 'not_found');
        await storeError(stores.graph.deleteReport('no-such-id', ctx), 'not_found');
        await storeError(stores.graph.merge(a, 'no-such-id', ctx), 'not_found');
        await storeError(stores.graph.merge('no-such-id', a, ctx), 'not_found');
        await storeError(stores.graph.unmerge('no-such-id', ctx), 'not_found');
        await storeError(stores.graph.neighbourhood(['no-such-id'], { hops: 1 }), 'not_found');
        await storeError(stores.graph.shortestPaths(a, 'no-such-id'), 'not_found');
        // A link id is not an entity id.
        const l = (await stores.graph.listLinks()).items[0].id;
        expect(await stores.graph.getEntity(l)).toBeNull();
      });
    });

    describe('search', () => {
      it('finds by label, key and string properties, prefix of the last word, filtered by type', async () => {
        const r = await stores.graph.writeBatch(
          {
            entities: [
              person('Marcus Whitfield', { properties: { nickname: 'Ghost' } }),
              { type: 'Organisation', label: 'Whitfield Motors Ltd' },
              phone('07700 900555'),
            ],
          },
          ctx,
        );
        const hits = await stores.graph.search('whitfield');
        expect(hits.map((h) => h.entity.id).sort()).toEqual([r.entityIds[0], r.entityIds[1]].sort());
        expect(
          (await stores.graph.search('whit', { types: ['Organisation'] })).map((h) => h.entity.id),
        ).toEqual([r.entityIds[1]]);
        expect((await stores.graph.search('ghost'))[0]?.entity.id).toBe(r.entityIds[0]);
        expect((await stores.graph.search('447700900555'))[0]?.entity.id).toBe(r.entityIds[2]);
        expect(await stores.graph.search('nothing-like-this-anywhere')).toEqual([]);
        expect((await stores.graph.search('whitfield', { limit: 1 })).length).toBe(1);
        await stores.graph.updateEntity(r.entityIds[0], { label: 'Marcus Greaves' }, ctx);
        expect((await stores.graph.search('greaves'))[0]?.entity.id).toBe(r.entityIds[0]);
      });

      it('an entity repeated in one batch under a new label is found by the new label only', async () => {
        const r = await stores.graph.writeBatch(
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
        expect((await stores.graph.search('newname')).map((h) => h.entity.id)).toEqual([r.entityIds[0]]);
        expect(await stores.graph.search('oldname')).toEqual([]);
        expect((await stores.graph.search('yusuf')).map((h) => h.entity.id)).toEqual([r.entityIds[1]]);
      });

      it('forgives spelling: sound-alike and near names after the exact ones, each with its date of birth and reference', async () => {
        const r = await stores.graph.writeBatch(
          {
            entities: [
              person('John Smith', { properties: { dob: '1980-01-02', externalRef: 'PNC/80/1' } }),
              person('Alice Smith', { properties: { dob: '1975-06-30' } }),
              person('Jon Smyth', { properties: { dob: '1990-11-12', externalRef: 'PNC/90/7' } }),
              person('Mohammed Khan'),
              person('Kate Patterson'),
              person('Brian Jones'),
            ],
          },
          ctx,
        );
        const [smith, alice, smyth, khan, patterson] = r.entityIds;
        const ids = (q: string) => stores.graph.search(q).then((hs) => hs.map((h) => h.entity.id));

        // "Smth" holds no word of any name: every hit is a similar one, and Brian Jones is not among them.
        const smth = await stores.graph.search('Smth');
        expect(smth.map((h) => h.entity.id).sort()).toEqual([smith, alice, smyth].sort());
        expect(smth.every((h) => h.match === 'similar')).toBe(true);
        const john = smth.find((h) => h.entity.id === smith)!;
        expect(john.entity.properties).toMatchObject({ dob: '1980-01-02', externalRef: 'PNC/80/1' });

        // Exact matches first, then the sound-alike, scored below them.
        const hits = await stores.graph.search('smith');
        expect(
          hits
            .slice(0, 2)
            .map((h) => h.entity.id)
            .sort(),
        ).toEqual([smith, alice].sort());
        expect(hits.map((h) => h.match)).toEqual(['exact', 'exact', 'similar']);
        expect(hits[2].entity.id).toBe(smyth);
        expect(hits[2].score).toBeLessThan(Math.min(hits[0].score, hits[1].score));

        expect(await ids('Muhammad Khan')).toEqual([khan]);
        expect(await ids('Pattesron')).toEqual([patterson]);
        expect(await ids('Jon Smith')).toEqual(expect.arrayContaining([smith, smyth]));
        expect(await ids('Zebedee')).toEqual([]);

        // A new label is searched by its sound, the old one no longer.
        await stores.graph.updateEntity(khan, { label: 'Mohammed Qureshi' }, ctx);
        expect(await ids('Kureshi')).toEqual([khan]);
        expect(await ids('Muhammad Khan')).toEqual([]);
      });

      it('treats hostile text as plain words, never as a query language', async () => {
        await stores.graph.writeBatch({ entities: [person('Drop Table'), person('Near Andor')] }, ctx);
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
          await expect(stores.graph.search(q), q).resolves.toBeInstanceOf(Array);
        }
        expect((await stores.graph.search('"; DROP TABLE')).map((h) => h.entity.label)).toEqual([
          'Drop Table',
        ]);
        expect((await stores.counts()).entities).toBe(2);
      });
    });

    describe('views: neighbourhood, paths, subgraph', () => {
      it('expands k hops from seeds with the links among the nodes found', async () => {
        const ids = await load();
        const one = await stores.graph.neighbourhood([ids['Alice Archer']], { hops: 1 });
        expect(one.nodes.map((n) => n.label).sort()).toEqual(['07700 900001', 'Alice Archer']);
        expect(one.links).toHaveLength(1);
        expect(one.truncated).toBe(false);
        const three = await stores.graph.neighbourhood([ids['Alice Archer']], { hops: 3 });
        expect(three.nodes.map((n) => n.label).sort()).toEqual([
          '07700 900001',
          '07700 900002',
          '07700 900003',
          'Alice Archer',
          'Bob Baker',
        ]);
        // USES Alice, CALLED 1->2, USES Bob, CALLED 2->3: everything among the nodes found.
        expect(three.links).toHaveLength(4);
        expect(three.dataVersion).toBe(await stores.graph.dataVersion());
        // maxLinks: at the cap the answer is whole; one link past it the walk is refused, not cut.
        const capped = await stores.graph.neighbourhood([ids['Alice Archer']], { hops: 3, maxLinks: 4 });
        expect(capped.links).toHaveLength(4);
        await storeError(
          stores.graph.neighbourhood([ids['Alice Archer']], { hops: 3, maxLinks: 3 }),
          'too_large',
        );
        await storeError(
          stores.graph.neighbourhood([ids['Alice Archer']], { hops: 1, maxLinks: -1 }),
          'invalid',
        );
        const limited = await stores.graph.neighbourhood([ids['07700 900002']], { hops: 2, limit: 3 });
        expect(limited.nodes).toHaveLength(3);
        expect(limited.truncated).toBe(true);
        const phonesOnly = await stores.graph.neighbourhood([ids['07700 900002']], {
          hops: 4,
          entityTypes: ['Phone'],
        });
        expect(phonesOnly.nodes.map((n) => n.type).sort()).toEqual(['Phone', 'Phone', 'Phone']);
        const calls = await stores.graph.neighbourhood([ids['07700 900002']], {
          hops: 2,
          filter: { linkTypes: ['CALLED'] },
        });
        expect(calls.links.every((l) => l.type === 'CALLED')).toBe(true);
        expect(calls.nodes).toHaveLength(3);
        const jan = await stores.graph.neighbourhood([ids['07700 900002']], {
          hops: 1,
          filter: { linkTypes: ['CALLED'], from: '2024-01-01', to: '2024-01-31' },
        });
        expect(jan.nodes.map((n) => n.label).sort()).toEqual(['07700 900001', '07700 900002']);
        await storeError(stores.graph.neighbourhood([ids['Alice Archer']], { hops: 0 }), 'invalid');
        await storeError(stores.graph.neighbourhood([ids['Alice Archer']], { hops: 5 }), 'invalid');
      });

      it('includes the links among the outermost ring, for small and large rings, with the filter applied', async () => {
        // A hub with n spokes; spoke i is linked to spoke i+1 for even i, half of those links in 2023 only.
        for (const n of [5, 150]) {
          const hub = person(`Hub ${n}`, { key: `hub-${n}` });
          const spokes = Array.from({ length: n }, (_, i) =>
            person(`Spoke ${n}-${i}`, { key: `spoke-${n}-${i}` }),
          );
          const pairs = Array.from({ length: n / 5 }, (_, k) => 5 * k);
          const r = await stores.graph.writeBatch(
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
          const one = await stores.graph.neighbourhood([r.entityIds[0]], { hops: 1, limit: 1000 });
          expect(one.nodes).toHaveLength(n + 1);
          expect(one.links).toHaveLength(n + pairs.length);
          const in2024 = await stores.graph.neighbourhood([r.entityIds[0]], {
            hops: 1,
            limit: 1000,
            filter: { from: '2024-01-01', to: '2024-12-31' },
          });
          // Undated spokes stay; of the ring links only the undated half does.
          expect(in2024.links).toHaveLength(n + pairs.filter((i) => i % 10 !== 0).length);
        }
      });

      it('finds all shortest paths ignoring direction, within maxHops', async () => {
        const r = await stores.graph.writeBatch(
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
        const paths = await stores.graph.shortestPaths(s, z);
        expect(paths.map((p) => p.nodes.join('>')).sort()).toEqual(
          [`${s}>${m1}>${z}`, `${s}>${m2}>${z}`].sort(),
        );
        expect(paths.every((p) => p.links.length === 2)).toBe(true);
        expect(await stores.graph.shortestPaths(s, far, { maxHops: 2 })).toEqual([]);
        expect((await stores.graph.shortestPaths(s, far, { maxHops: 3 }))[0].nodes).toHaveLength(4);
        expect(await stores.graph.shortestPaths(s, z, { limit: 1 })).toHaveLength(1);
        expect(await stores.graph.shortestPaths(s, s)).toEqual([{ nodes: [s], links: [] }]);
        const onlyAssoc = await stores.graph.shortestPaths(s, z, { filter: { linkTypes: ['ASSOCIATE_OF'] } });
        expect(onlyAssoc).toEqual([]);
      });

      it('pages links by key: after a link id, in id order, with next until the end, and by type', async () => {
        const names = ['K1', 'K2', 'K3', 'K4', 'K5', 'K6'];
        const links = [] as {
          type: 'ASSOCIATE_OF' | 'TRANSFERRED';
          from: ReturnType<typeof P>;
          to: ReturnType<typeof P>;
        }[];
        for (let i = 0; i < names.length; i++)
          for (let j = i + 1; j < names.length; j++)
            links.push({
              type: (i + j) % 2 ? 'TRANSFERRED' : 'ASSOCIATE_OF',
              from: P(names[i].toLowerCase()),
              to: P(names[j].toLowerCase()),
            });
        await stores.graph.writeBatch({ entities: names.map((n) => person(n)), links }, ctx);
        const whole = await stores.graph.listLinks({ limit: 1000 });
        expect(whole.items).toHaveLength(15);
        expect(whole.next).toBeNull();
        const num = (id: string) => Number(id.slice(1));
        expect(whole.items.map((l) => num(l.id))).toEqual(
          whole.items.map((l) => num(l.id)).sort((a, b) => a - b),
        );
        // Four links a page, by key, gives the same links in the same order.
        const seen: string[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await stores.graph.listLinks({ limit: 4, ...(after ? { after } : {}) });
          expect(page.total).toBe(15);
          seen.push(...page.items.map((l) => l.id));
          if (!page.next) break;
          expect(page.next).toBe(page.items[page.items.length - 1].id);
          after = page.next;
        }
        expect(seen).toEqual(whole.items.map((l) => l.id));
        // Offset paging still works and agrees.
        const third = await stores.graph.listLinks({ offset: 8, limit: 4 });
        expect(third.items.map((l) => l.id)).toEqual(seen.slice(8, 12));
        // By type: its own links, its own total.
        const byType = await stores.graph.listLinks({ type: 'TRANSFERRED', limit: 3, after: seen[0] });
        const transferred = whole.items.filter((l) => l.type === 'TRANSFERRED' && num(l.id) > num(seen[0]));
        expect(byType.items.map((l) => l.id)).toEqual(transferred.slice(0, 3).map((l) => l.id));
        expect(byType.total).toBe(whole.items.filter((l) => l.type === 'TRANSFERRED').length);
        // A cursor past the end is an empty last page; a malformed one, or one with an offset, is refused.
        const last = seen[seen.length - 1];
        expect(await stores.graph.listLinks({ after: last })).toMatchObject({ items: [], next: null });
        expect((await storeError(stores.graph.listLinks({ after: 'e1' }), 'invalid')).path).toEqual([
          'after',
        ]);
        // An entity's links page with offset on every store.
        const ofOne = await stores.graph.listLinks({ entityId: whole.items[0].from });
        expect(ofOne.next).toBeUndefined();
        const both = stores.graph.listLinks({ entityId: whole.items[0].from, after: seen[0] });
        expect((await storeError(both, 'invalid')).path).toEqual(['after']);
        expect(
          (await storeError(stores.graph.listLinks({ after: seen[0], offset: 4 }), 'invalid')).path,
        ).toEqual(['offset']);
        // Offset is kept for compatibility, bounded: past 5,000 the list is read by key (each page's next).
        expect((await stores.graph.listLinks({ offset: 5_000 })).items).toEqual([]);
        const deep = await storeError(stores.graph.listLinks({ offset: 5_001 }), 'invalid');
        expect(deep.path).toEqual(['offset']);
        expect(deep.message).toMatch(/after=/);
      });

      it('returns many equal shortest paths in one order on every store: by entity, then link, back from the end', async () => {
        // S - {A1, A2, A3} - {B1, B2, B3} - Z, every A to every B, two links between S and A2: 12 equal paths.
        // Links are written in a scrambled order so that the store's own order is not the answer.
        const names = ['PS', 'PA1', 'PA2', 'PA3', 'PB1', 'PB2', 'PB3', 'PZ'];
        const k = (x: string) => P(x.toLowerCase());
        const pairs: [string, string][] = [
          ['PB3', 'PZ'],
          ['PA2', 'PS'],
          ['PB1', 'PZ'],
          ['PS', 'PA3'],
        ];
        for (const a of ['PA3', 'PA1', 'PA2']) for (const b of ['PB2', 'PB3', 'PB1']) pairs.push([b, a]);
        pairs.push(['PS', 'PA1'], ['PB2', 'PZ'], ['PS', 'PA2']);
        const r = await stores.graph.writeBatch(
          {
            entities: names.map((n) => person(n)),
            links: pairs.map(([a, b], i) => ({
              // The last S-A2 link is of another type, so it stays a second link beside the first.
              type: i === pairs.length - 1 ? ('TRANSFERRED' as const) : ('ASSOCIATE_OF' as const),
              from: k(a),
              to: k(b),
            })),
          },
          ctx,
        );
        const s = r.entityIds[0];
        const z = r.entityIds[7];
        const all = await stores.graph.shortestPaths(s, z, { limit: 100 });
        expect(all).toHaveLength(12);
        const num = (id: string) => Number(/\d+$/.exec(id)![0]);
        // The key of a path: (entity, link) pairs walked back from the end.
        const key = (p: { nodes: string[]; links: string[] }) =>
          p.links.map((l, i) => [num(p.nodes[p.nodes.length - 2 - i]), num(p.links[p.links.length - 1 - i])]);
        const cmp = (a: number[][], b: number[][]) => {
          for (let i = 0; i < a.length; i++) {
            const d = a[i][0] - b[i][0] || a[i][1] - b[i][1];
            if (d) return d;
          }
          return 0;
        };
        const sorted = [...all].sort((a, b) => cmp(key(a), key(b)));
        expect(all).toEqual(sorted);
        expect(await stores.graph.shortestPaths(s, z, { limit: 4 })).toEqual(sorted.slice(0, 4));
      });

      it('gives the same first 10 of 48 equal shortest paths on every store, and all 48 in the same order', async () => {
        // S - 4 A - 4 B - 3 C - Z, every layer joined to the next: 4 x 4 x 3 = 48 paths of 4 links. The links
        // are written shuffled and in both directions, so neither write order nor direction is the answer.
        const layers = [
          ['QS'],
          ['QA1', 'QA2', 'QA3', 'QA4'],
          ['QB1', 'QB2', 'QB3', 'QB4'],
          ['QC1', 'QC2', 'QC3'],
          ['QZ'],
        ];
        const names = layers.flat();
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < layers.length; i++)
          for (const a of layers[i]) for (const b of layers[i + 1]) pairs.push([a, b]);
        let seed = 7;
        const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
        for (let i = pairs.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
        }
        const written = pairs.map(([a, b]) => (rand() < 0.5 ? [a, b] : [b, a]) as [string, string]);
        const r = await stores.graph.writeBatch(
          {
            entities: names.map((n) => person(n)),
            links: written.map(([a, b]) => ({
              type: 'ASSOCIATE_OF' as const,
              from: P(a.toLowerCase()),
              to: P(b.toLowerCase()),
            })),
          },
          ctx,
        );
        const id = new Map(names.map((n, i) => [n, r.entityIds[i]]));
        const link = new Map(written.map(([a, b], i) => [[a, b].sort().join('|'), r.linkIds[i]]));
        const via = (a: string, b: string) => link.get([a, b].sort().join('|'))!;
        // Every path, worked out from the graph as written, then put in the defined order: compare the paths
        // walked back from the end, at each step by entity number, then by link number.
        const expected: { nodes: string[]; links: string[] }[] = [];
        for (const a of layers[1])
          for (const b of layers[2])
            for (const c of layers[3]) {
              const walk = ['QS', a, b, c, 'QZ'];
              expected.push({
                nodes: walk.map((n) => id.get(n)!),
                links: walk.slice(1).map((n, i) => via(walk[i], n)),
              });
            }
        const num = (x: string) => Number(/\d+$/.exec(x)![0]);
        const key = (p: { nodes: string[]; links: string[] }) =>
          p.links.flatMap((l, i) => [
            num(p.nodes[p.nodes.length - 2 - i]),
            num(p.links[p.links.length - 1 - i]),
          ]);
        expected.sort((x, y) => {
          const kx = key(x);
          const ky = key(y);
          for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i]) return kx[i] - ky[i];
          return 0;
        });
        expect(await stores.graph.shortestPaths(id.get('QS')!, id.get('QZ')!)).toEqual(expected.slice(0, 10));
        expect(await stores.graph.shortestPaths(id.get('QS')!, id.get('QZ')!, { limit: 100 })).toEqual(
          expected,
        );
      });

      it('time window bounds are inclusive; undated links always pass; open ends are open', async () => {
        await stores.graph.writeBatch(
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
          (await stores.graph.subgraph(f)).links
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
        await storeError(stores.graph.subgraph({ from: '2024-02-01', to: '2024-01-01' }), 'invalid');
        await storeError(stores.graph.subgraph({ from: 'yesterday' }), 'invalid');
      });

      it('grading: a link is as strong as its best report; a minimum passes if any report meets it', async () => {
        const r = await stores.graph.writeBatch(
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
        expect((await stores.graph.getLink(both))!.grading).toEqual({ source: 1, intel: 'A' });
        expect((await stores.graph.getLink(twoC))!.grading).toEqual({ source: 2, intel: 'C' });
        expect((await stores.graph.getLink(none))!.grading).toBeNull();
        // Best by weight (source x assessment): 2C (0.7 x 0.6) beats 1D (1 x 0.4).
        expect((await stores.graph.getLink(mixed))!.grading).toEqual({ source: 2, intel: 'C' });
        const pass = async (source: 1 | 2 | 3, intel: 'A' | 'B' | 'C' | 'D' | 'E') =>
          (await stores.graph.subgraph({ minGrading: { source, intel } })).links.map((l) => l.id).sort();
        expect(await pass(1, 'A')).toEqual([both]);
        expect(await pass(2, 'C')).toEqual([both, twoC, mixed].sort());
        expect(await pass(1, 'C')).toEqual([both]);
        expect(await pass(1, 'D')).toEqual([both, mixed].sort());
        expect(await pass(3, 'E')).toEqual([both, twoC, mixed].sort());
        expect((await stores.graph.subgraph({})).links).toHaveLength(4);
      });

      it('subgraph keeps isolated entities only without link filters, filters types, and truncates', async () => {
        await load();
        await stores.graph.writeBatch({ entities: [person('Loner')] }, ctx);
        const all = await stores.graph.subgraph({});
        expect(all.nodes).toHaveLength(7);
        expect(all.links).toHaveLength(5);
        expect(all.truncated).toBe(false);
        expect(all.dataVersion).toBe(await stores.graph.dataVersion());
        const phones = await stores.graph.subgraph({ entityTypes: ['Phone'] });
        expect(phones.nodes.map((n) => n.type)).toEqual(['Phone', 'Phone', 'Phone']);
        expect(phones.links.map((l) => l.type)).toEqual(['CALLED', 'CALLED']);
        const calls = await stores.graph.subgraph({ linkTypes: ['CALLED'] });
        expect(calls.nodes).toHaveLength(3);
        const cut = await stores.graph.subgraph({}, { limit: 2 });
        expect(cut.links).toHaveLength(2);
        expect(cut.truncated).toBe(true);
        for (const l of cut.links) {
          expect(cut.nodes.some((n) => n.id === l.from) && cut.nodes.some((n) => n.id === l.to)).toBe(true);
        }
      });
    });

    describe('pagination and listing', () => {
      it('pages entities, links and reports with totals', async () => {
        await stores.graph.writeBatch(
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
        const p1 = await stores.graph.listEntities({ limit: 10 });
        const p3 = await stores.graph.listEntities({ offset: 20, limit: 10 });
        expect(p1).toMatchObject({ total: 25, offset: 0, limit: 10 });
        expect(p1.items).toHaveLength(10);
        expect(p3.items).toHaveLength(5);
        const all = new Set(
          [
            ...p1.items,
            ...(await stores.graph.listEntities({ offset: 10, limit: 10 })).items,
            ...p3.items,
          ].map((e) => e.id),
        );
        expect(all.size).toBe(25);
        expect((await stores.graph.listEntities({ type: 'Phone' })).total).toBe(0);
        expect((await stores.graph.listReports({ dueBefore: '2025-01-01' })).items.map((x) => x.ref)).toEqual(
          ['P-1'],
        );
        expect((await stores.graph.listReports()).total).toBe(3);
        await storeError(stores.graph.listEntities({ limit: -1 }), 'invalid');
      });
    });
  });
}

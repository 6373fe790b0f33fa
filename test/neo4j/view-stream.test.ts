// The analysis view streamed from Neo4j (server/store/neo4j/view-load.ts: pages of each link type merged in id
// order, straight into the ViewBuilder) is the same view as the one built from the whole subgraph: every array
// of the CSR, the ids, labels and types, the notes. Checked on the project's Neo4j for the entity network and
// with phones folded, people joined through shared things, a time window over calls, a minimum grading and
// link and entity types; unscoped, and scoped with and without a closed operation that shares a phone, a call
// link and a car with the open one (its links then read as the scope sees them); with pages of the default
// size and of 7 rows (so every page end is crossed); and a view past its link limit is refused, as
// subgraph() reports it truncated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventColumns } from '../../server/domain/events.ts';
import {
  buildView,
  unpackView,
  viewOptionsSchema,
  type View,
  type ViewOptions,
} from '../../server/analysis/view.ts';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import type { GraphStore, WriteBatch } from '../../server/store/graph-store.ts';
import { streamView } from '../../server/store/neo4j/view-load.ts';
import type { Neo4jGraphStore } from '../../server/store/neo4j/graph-store.ts';
import { planNetwork } from '../../seed/generate.ts';
import { P, T, person, phone, report } from '../contract/fixtures.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

const ms = (iso: string) => Date.parse(iso);
function calls(link: number, times: string[]): EventColumns {
  const n = times.length;
  return {
    kind: 'call',
    count: n,
    link: Uint32Array.from(times.map(() => link)),
    atMs: Float64Array.from(times.map(ms)),
    duration: Float64Array.from(times.map(() => 60)),
    direction: new Uint8Array(n),
    place: Int32Array.from(times.map(() => -1)),
    places: [],
  };
}
const V = (key: string) => ({ type: 'Vehicle' as const, key });

const open = (): WriteBatch => ({
  reports: [report('SA-1', 2, 'B')],
  entities: [
    person('Ann Open', { reports: ['SA-1'] }),
    phone('07700 910001', { reports: ['SA-1'] }),
    phone('07700 910002'),
    { type: 'Vehicle', label: 'ZZ12 ZZZ' },
  ],
  links: [
    { type: 'USES', from: P('ann open'), to: T('+447700910001'), reports: ['SA-1'] },
    { type: 'USES', from: P('ann open'), to: T('+447700910002') },
    { type: 'CALLED', from: T('+447700910001'), to: T('+447700910002'), reports: ['SA-1'] },
    { type: 'USES', from: P('ann open'), to: V('ZZ12ZZZ') },
  ],
  events: [calls(2, ['2024-03-01T10:00:00Z', '2024-03-02T10:00:00Z'])],
});

const closed = (): WriteBatch => ({
  reports: [report('SB-1', 1, 'A')],
  entities: [
    person('Bo Closed', { reports: ['SB-1'] }),
    person('Cy Closed'),
    phone('07700 910001', { reports: ['SB-1'] }),
    phone('07700 910002'),
    { type: 'Vehicle', label: 'ZZ12 ZZZ' },
  ],
  links: [
    { type: 'USES', from: P('bo closed'), to: T('+447700910001'), reports: ['SB-1'] },
    { type: 'ASSOCIATE_OF', from: P('bo closed'), to: P('cy closed'), reports: ['SB-1'] },
    { type: 'CALLED', from: T('+447700910001'), to: T('+447700910002'), reports: ['SB-1'] },
    { type: 'USES', from: P('cy closed'), to: V('ZZ12ZZZ'), reports: ['SB-1'] },
  ],
  events: [calls(2, ['2024-03-03T10:00:00Z', '2024-03-04T10:00:00Z', '2024-03-10T10:00:00Z'])],
});

/** Every part of a view that an analysis reads. */
function expectSameView(a: View, b: View, what: string): void {
  expect(a.csr.n, what).toBe(b.csr.n);
  expect(a.csr.m, what).toBe(b.csr.m);
  expect([...a.csr.ids], what).toEqual([...b.csr.ids]);
  expect(a.labels, what).toEqual(b.labels);
  expect(a.types, what).toEqual(b.types);
  expect(a.notes, what).toEqual(b.notes);
  expect(a.dataVersion, what).toBe(b.dataVersion);
  for (const k of [
    'offsets',
    'targets',
    'weights',
    'edgeU',
    'edgeV',
    'edgeW',
    'inOffsets',
    'inTargets',
  ] as const)
    expect(Array.from(a.csr[k]), `${what}: ${k}`).toEqual(Array.from(b.csr[k]));
  expect(Array.from(a.csr.edgeQuality), `${what}: quality`).toEqual(Array.from(b.csr.edgeQuality));
}

describe.skipIf(!avail.ok)('analysis views streamed from Neo4j', () => {
  let release: () => void = () => {};
  let stores: Neo4jStores;
  let scopes: Array<[string, GraphStore]> = [];
  let opClosed = '';

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    stores = await avail.server.freshStore();
    for (const chunk of planNetwork({ seed: 11, size: 600 }, 300).chunks())
      await stores.graph.writeBatch(chunk, { actor: 'test' });
    const a = await stores.operations.create(
      { ref: 'STREAMA', name: 'Open side', sensitivity: 'open' },
      { actor: 'test' },
    );
    const b = await stores.operations.create(
      { ref: 'STREAMB', name: 'Closed side', sensitivity: 'closed' },
      { actor: 'test' },
    );
    opClosed = b.id;
    await stores.graph.writeBatch(open(), { actor: 'test', operationId: a.id });
    await stores.graph.writeBatch(closed(), { actor: 'test', operationId: b.id });
    const general = (await stores.operations.defaultOperation()).id;
    scopes = [
      ['unscoped', stores.graph],
      ['without the closed operation', stores.graph.scoped({ operations: [general, a.id] })],
      ['with the closed operation', stores.graph.scoped({ operations: [general, a.id, b.id] })],
    ];
  }, LOCK_WAIT_MS + 300_000);

  afterAll(async () => {
    await stores?.close();
    release();
    if (avail.ok) await avail.server.close();
  });

  const views: Array<[string, ViewOptions]> = [
    ['the entity network', {}],
    ['phones folded', { projection: { foldPhones: true } }],
    ['people joined through vehicles', { projection: { foldPhones: true, personVia: ['Vehicle'] } }],
    ['calls in a window', { filter: { from: '2024-03-02', to: '2024-03-04' } }],
    ['a minimum grading, weighted', { filter: { minGrading: { source: 2, intel: 'B' } }, grading: 'weight' }],
    [
      'people and phones, calls and uses',
      { filter: { entityTypes: ['Person', 'Phone'], linkTypes: ['CALLED', 'USES'] } },
    ],
    ['directed, with a half-life', { directed: true, halfLifeDays: 90 }],
  ];

  for (const [name, options] of views) {
    it(`${name}: the streamed view is the subgraph's view, in every scope`, async () => {
      for (const [scopeName, g] of scopes) {
        const parsed = viewOptionsSchema.parse(options);
        const whole = buildView(await g.subgraph(parsed.filter), options);
        const streamed = await g.analysisView!(options);
        expect(streamed.truncated).toBe(false);
        if (streamed.truncated) return;
        expectSameView(unpackView(streamed.view), whole, `${name}, ${scopeName}`);
        // Pages of 7 rows: every page end and the merge of the types' pages are crossed.
        const scope = (g as Neo4jGraphStore).readScope;
        const small = await stores.exec.read((tx) =>
          streamView(tx, parsed, { pageRows: 7 }, scope === 'all' ? null : scope.operations),
        );
        expectSameView(small!, whole, `${name}, ${scopeName}, pages of 7`);
      }
    }, 120_000);
  }

  it('a scope without the closed operation sees none of its entities, and its calls only', async () => {
    const without = scopes[1][1];
    const v = await without.analysisView!({ filter: { from: '2024-03-01', to: '2024-03-31' } });
    expect(v.truncated).toBe(false);
    if (v.truncated) return;
    const view = unpackView(v.view);
    const closedIds = (await stores.graph.scoped({ operations: [opClosed] }).subgraph({})).nodes
      .filter((e) => e.label.endsWith('Closed'))
      .map((e) => e.id);
    expect(closedIds).toHaveLength(2);
    for (const id of closedIds) expect(view.csr.ids).not.toContain(id);
    // The shared call link carries the open side's two calls, not the closed side's three too.
    const at = async (key: string) => view.csr.ids.indexOf((await without.findEntity('Phone', key))!.id);
    const [pu, pv] = [await at('+447700910001'), await at('+447700910002')];
    const e = Array.from(view.csr.edgeU).findIndex(
      (x, i) => (x === pu && view.csr.edgeV[i] === pv) || (x === pv && view.csr.edgeV[i] === pu),
    );
    expect(e).toBeGreaterThanOrEqual(0);
    expect(view.csr.edgeW[e]).toBe(2);
    const all = await stores.graph.analysisView!({ filter: { from: '2024-03-01', to: '2024-03-31' } });
    if (all.truncated) throw new Error('unexpected');
    const whole = unpackView(all.view);
    const wu = whole.csr.ids.indexOf(view.csr.ids[pu]);
    const wv = whole.csr.ids.indexOf(view.csr.ids[pv]);
    const we = Array.from(whole.csr.edgeU).findIndex(
      (x, i) => (x === wu && whole.csr.edgeV[i] === wv) || (x === wv && whole.csr.edgeV[i] === wu),
    );
    expect(whole.csr.edgeW[we]).toBe(5);
  }, 60_000);

  it('a view past its link limit is refused, as the subgraph is truncated', async () => {
    const all = await stores.graph.subgraph({});
    const links = all.links.length;
    expect((await stores.graph.analysisView({}, { limit: links - 1 })).truncated).toBe(true);
    expect((await stores.graph.analysisView({}, { limit: links })).truncated).toBe(false);
  }, 60_000);
});

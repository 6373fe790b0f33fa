// Analysis views built off the request thread (server/jobs/view-off-thread.ts) are the views buildView makes
// on it: the same nodes, edges and weights, with every array on shared memory so the job workers read them
// without a copy. Both ways are checked: the SQLite store's read worker building it beside its read, and a
// worker started for a store without read workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isShared } from '../../server/analysis/csr.ts';
import {
  buildView,
  restrictToEntities,
  unpackView,
  type PackedView,
  type View,
  type ViewOptions,
} from '../../server/analysis/view.ts';
import { buildViewOffThread } from '../../server/jobs/view-off-thread.ts';
import { loadSeed } from '../../seed/load.ts';
import { tempStore, type TempStore } from '../security/helpers.ts';
import type { SqliteStores } from '../../server/store/sqlite/stores.ts';

const VIEWS: ViewOptions[] = [
  {},
  { directed: true, grading: 'weight' },
  { projection: { foldPhones: true }, filter: { entityTypes: ['Person', 'Phone'] } },
  // The read worker streams rows into the view's arrays (view-load.ts): every projection, weighting and
  // filter must come out as buildView makes it from the subgraph.
  {
    projection: { foldPhones: true, personVia: ['Event', 'Vehicle', 'Location'] },
    grading: 'weight',
    halfLifeDays: 60,
  },
  { projection: { personVia: ['Location'], maxSharers: 3 }, directed: true },
  { filter: { from: '2024-01-01', to: '2024-12-31' }, halfLifeDays: 30 },
  {
    filter: { from: '2023-06-01', to: '2025-03-31', linkTypes: ['CALLED', 'USES', 'ASSOCIATE_OF'] },
    projection: { foldPhones: true },
    directed: true,
  },
  // A link can pass the store's grading mask and still have a best grading below the minimum: its ends
  // stay in the view as the subgraph keeps them.
  { filter: { minGrading: { source: 2, intel: 'B' } }, grading: 'weight' },
  { filter: { to: '2024-03-01' }, asOf: '2024-03-01', halfLifeDays: 10 },
];

let ts: TempStore;
/** Each view built on this thread, before any read worker starts. */
let expected: View[];

beforeAll(async () => {
  ts = await tempStore();
  await loadSeed(ts.stores, { truthFile: null });
  expected = [];
  for (const options of VIEWS)
    expected.push(buildView(await ts.stores.graph.subgraph(options.filter ?? {}), options));
}, 120_000);
afterAll(async () => {
  await ts.cleanup();
});

/** Every buffer the request thread receives is shared memory: no array and no string is copied to it. */
function packedAndShared(p: PackedView): void {
  for (const s of [p.ids, p.labels, p.types]) {
    expect(s.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(s.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
  }
  expect(Object.values(p.graph).filter((v) => ArrayBuffer.isView(v)).length).toBeGreaterThan(5);
  expect(isShared({ ...p.graph, ids: [] })).toBe(true);
}

function same(a: View, b: View): void {
  expect(a.csr.ids).toEqual(b.csr.ids);
  expect(a.labels).toEqual(b.labels);
  expect(a.types).toEqual(b.types);
  expect(a.notes).toEqual(b.notes);
  expect(a.csr.directed).toBe(b.csr.directed);
  for (const k of ['offsets', 'targets', 'weights', 'edgeU', 'edgeV', 'edgeW', 'edgeQuality'] as const)
    expect(Array.from(a.csr[k]), k).toEqual(Array.from(b.csr[k]));
}

describe('views built off the request thread', () => {
  // A worker is started per view (9 of them): seconds each on a loaded machine.
  it('in a worker of its own (no read workers): the same view, shared', async () => {
    expect(ts.stores.graph.analysisView).toBeUndefined();
    for (const [i, options] of VIEWS.entries()) {
      const made = await buildViewOffThread(ts.stores.graph, options);
      if (made.truncated) throw new Error('truncated');
      packedAndShared(made.view);
      same(unpackView(made.view), expected[i]);
      expect(isShared(expected[i].csr)).toBe(false);
    }
  }, 240_000);

  it("in the SQLite store's read worker: the same view, shared", async () => {
    const stores = ts.stores as SqliteStores;
    await stores.readInWorkers({ workers: 1 });
    expect(ts.stores.graph.analysisView).toBeTypeOf('function');
    for (const [i, options] of VIEWS.entries()) {
      const made = await buildViewOffThread(ts.stores.graph, options);
      if (made.truncated) throw new Error('truncated');
      packedAndShared(made.view);
      same(unpackView(made.view), expected[i]);
    }
    expect(stores.answeredInWorkers).toBe(VIEWS.length);
  });

  it("a chart's view (only its entities) streamed in the read worker is the restricted subgraph's view", async () => {
    const sg = await ts.stores.graph.subgraph({});
    const only = sg.nodes.filter((_, i) => i % 3 !== 0).map((e) => e.id);
    const options: ViewOptions = { projection: { foldPhones: true }, grading: 'weight' };
    const made = await buildViewOffThread(ts.stores.graph, options, { only });
    if (made.truncated) throw new Error('truncated');
    const want = buildView(restrictToEntities(sg, only), options);
    expect(want.csr.m).toBeGreaterThan(100);
    same(unpackView(made.view), want);
  });

  it('past the link limit nothing is built and the answer says so', async () => {
    // Read workers are running (the test before started them).
    expect(await buildViewOffThread(ts.stores.graph, {}, { limit: 10 })).toEqual({ truncated: true });
  });
});

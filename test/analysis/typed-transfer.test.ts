// Views and results cross between threads as typed arrays: ids, labels and types packed into one UTF-8
// buffer each with offsets (shared memory), scores encoded by the job worker as the answer's JSON bytes with
// each entry's end, so the request thread slices out a page without decoding the rest.
import { afterAll, describe, expect, it } from 'vitest';
import { buildCSR } from '../../server/analysis/csr.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { computeMetric, rankScores } from '../../server/analysis/registry.ts';
import { indexOfString, packStrings, stringAt, unpackStrings } from '../../server/analysis/packed-strings.ts';
import { packView, unpackView, type View } from '../../server/analysis/view.ts';
import { JobManager } from '../../server/jobs/job-manager.ts';
import { encodeResult, resultChunks } from '../../server/jobs/result-encoding.ts';

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('packed strings', () => {
  const list = ['p1', '', 'Zoë Ó Dálaigh', 'p10', '', '', '北京 ☎', 'p1x', 'p', 'x1p1'];
  it('round-trip any text, empty strings included, on shared memory', () => {
    const p = packStrings(list, true);
    expect(p.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(p.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(p.count).toBe(list.length);
    expect(unpackStrings(p)).toEqual(list);
    list.forEach((s, i) => expect(stringAt(p, i)).toBe(s));
    expect(() => stringAt(p, list.length)).toThrow(/outside/);
  });

  it('find a whole string only, never part of one or a run across two', () => {
    const p = packStrings(list);
    for (const s of new Set(list)) expect(indexOfString(p, s)).toBe(list.indexOf(s));
    // 'p1' ends where 'p10' begins... and inside 'x1p1' and 'p1x': none of these is a string of the list.
    for (const s of ['1', 'p1p10', '0p', 'x1', '1p1', 'Zoë', '☎', 'p1xp'])
      expect(indexOfString(p, s)).toBe(-1);
    expect(indexOfString(packStrings(['a', 'b']), '')).toBe(-1);
  });
});

describe('views packed for other threads', () => {
  it('unpack to the same view', () => {
    const e = communityGraph({ n: 300, seed: 2 });
    const ids = Array.from({ length: 300 }, (_, i) => `e${i}`);
    const csr = buildCSR(ids, e.us, e.vs, e.ws, false);
    const view: View = {
      csr,
      labels: ids.map((id) => `Label ${id} ☎`),
      types: ids.map((_, i) => (i % 2 ? 'Person' : 'Phone')),
      dataVersion: 3,
      options: {} as View['options'],
      notes: ['a note'],
    };
    const p = packView(view);
    expect(p.n).toBe(300);
    const back = unpackView(p);
    expect(back.csr.ids).toEqual(ids);
    expect(back.labels).toEqual(view.labels);
    expect(back.types).toEqual(view.types);
    expect(Array.from(back.csr.edgeW)).toEqual(Array.from(csr.edgeW));
    expect(back.csr.edgeW.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('results encoded for paging', () => {
  const result = {
    metric: 'degree',
    errorBound: null,
    scores: Array.from({ length: 25 }, (_, i) => ({
      id: `n${i}`,
      label: `Nöde "${i}"`,
      score: i / 7,
      rank: i + 1,
    })),
    view: { nodes: 25, links: 40, notes: [] },
  };
  const enc = encodeResult(result);

  it('whole: the same JSON value', () => {
    expect(JSON.parse(text(resultChunks(enc)))).toEqual(result);
    expect(enc.ends).toBeInstanceOf(Int32Array);
  });

  it('a page: the same entries as a slice of the list, with where it is', () => {
    for (const [offset, limit] of [
      [0, 1],
      [3, 5],
      [20, 10],
      [25, 3],
      [40, 2],
      [0, 25],
    ]) {
      const page = JSON.parse(text(resultChunks(enc, { offset, limit }))) as typeof result & {
        page: { offset: number; limit: number; total: number };
      };
      expect(page.scores).toEqual(result.scores.slice(offset, offset + limit));
      expect(page.page).toEqual({ offset, limit, total: 25 });
      expect(page.metric).toBe('degree');
      expect(page.view).toEqual(result.view);
    }
  });

  it('a result without a list is answered whole', () => {
    const other = { removed: ['a'], curve: [{ step: 1 }] };
    expect(JSON.parse(text(resultChunks(encodeResult(other), { offset: 0, limit: 1 })))).toEqual(other);
  });
});

describe('a job over a packed view', () => {
  const managers: JobManager[] = [];
  afterAll(async () => {
    for (const m of managers) await m.close();
  });

  it('ranks in the worker and answers a page without decoding the result', async () => {
    const n = 2000;
    const e = communityGraph({ n, seed: 4 });
    const ids = Array.from({ length: n }, (_, i) => `id-${i}`);
    const csr = buildCSR(ids, e.us, e.vs, e.ws, false, { shared: true });
    const types = ids.map((_, i) => (i % 3 ? 'Person' : 'Vehicle'));
    const packed = packView({
      csr,
      labels: ids.map((id) => `Person ${id}`),
      types: types as View['types'],
      dataVersion: 1,
      options: {} as View['options'],
      notes: ['phones folded'],
    });
    const m = new JobManager();
    managers.push(m);
    const s = m.start(
      { packed, dataVersion: 1, viewKey: 'v' },
      { kind: 'metric', metric: 'degree', k: null, seed: 1 },
    );
    expect((await m.wait(s.id)).state).toBe('done');
    const chunks = m.resultJson(s.id, { offset: 10, limit: 5 })!;
    for (const c of chunks) expect(c).toBeInstanceOf(Uint8Array);
    const page = JSON.parse(text(chunks)) as {
      scores: Array<{ id: string; label: string; score: number; rank: number; type: string }>;
      page: { total: number };
      view: { nodes: number; links: number; notes: string[] };
    };
    const expected = rankScores(csr, computeMetric(csr, 'degree')).slice(10, 15);
    expect(page.scores.map((x) => x.id)).toEqual(expected.map((r) => r.id));
    expect(page.scores.map((x) => x.score)).toEqual(expected.map((r) => r.score));
    expect(page.scores.map((x) => x.type)).toEqual(expected.map((r) => types[r.index]));
    expect(page.scores[0].label).toBe(`Person ${expected[0].id}`);
    expect(page.page.total).toBe(n);
    expect(page.view).toEqual({ nodes: n, links: csr.m, notes: ['phones folded'] });
    // The whole result, decoded for tools, agrees with its pages.
    const whole = m.result(s.id)!.result as { scores: Array<{ id: string }> };
    expect(whole.scores.slice(10, 15)).toEqual(page.scores);
  });
});

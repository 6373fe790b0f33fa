// `analyse FILE` and `analyse store` (after `npm run import`) rank the same file the same way, or the CLI
// says why not. Each case failed before: a projected two-mode import stored the events AND the projection
// (so `analyse store` mixed people and events and `--via Event` doubled every weight), and a directed
// file was folded by the import without a word and could not be ranked folded from the file.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS_DIR, HAVE_DATASETS } from '../analysis/reference-helpers.ts';
import { CLI_TIMEOUT, byLabel, runCli, runJson, tempDir, type Ranked } from './run-cli.ts';

const t = tempDir('linkchart-cli-parity-');
afterAll(() => t.remove());

type ImportJson = { entities: { created: number }; links: { created: number }; notes: string[] };

function expectSameScores(a: Ranked, b: Ranked, what: string): void {
  const x = byLabel(a);
  const y = byLabel(b);
  expect([...y.keys()].sort(), what).toEqual([...x.keys()].sort());
  for (const [label, score] of x) expect(y.get(label), `${what}: ${label}`).toBeCloseTo(score, 12);
}

describe("a two-mode file is stored in one form, at the analyst's choice", { timeout: CLI_TIMEOUT }, () => {
  // Shared events: p-q two (e1, e2), q-r one (e3); s attended nothing.
  const text = '"",e1,e2,e3\np,1,1,0\nq,1,1,1\nr,0,0,1\ns,0,0,0\n';
  const expected = new Map([
    ['p', 2],
    ['q', 3],
    ['r', 1],
    ['s', 0],
  ]);

  it('the file, the two-mode links seen --via Event, and the stored projection give the same weights', () => {
    const file = t.file('meetings.csv', text);
    const fromFile = runJson<Ranked>('analyse', [file, '--metric', 'weightedDegree']);
    expect(byLabel(fromFile)).toEqual(expected);
    expect(fromFile.notes.join('\n')).toMatch(/projected onto people: .*weight = events shared/);

    const events = t.db('events');
    const plain = runJson<ImportJson>('import', [file, '--format', 'twomode'], events);
    expect(plain.entities.created).toBe(7);
    expect(plain.notes.join('\n')).toMatch(/stored as people, 3 events and 6 attendance/);
    const via = runJson<Ranked>('analyse', ['store', '--metric', 'weightedDegree', '--via', 'Event'], events);
    expectSameScores(fromFile, via, 'two-mode links --via Event');

    const projection = t.db('projection');
    const projected = runJson<ImportJson>('import', [file, '--format', 'twomode', '--project'], projection);
    expect(projected).toMatchObject({ entities: { created: 4 }, links: { created: 2 } });
    expect(projected.notes.join('\n')).toMatch(/stored as the projection only: 2 ASSOCIATE_OF links/);
    const stored = runJson<Ranked>('analyse', ['store', '--metric', 'weightedDegree'], projection);
    expect(stored.nodes).toBe(4); // people only: no events mixed in
    expectSameScores(fromFile, stored, 'stored projection');
    // --via Event finds no events to project a second time: weights are not doubled.
    const again = runJson<Ranked>(
      'analyse',
      ['store', '--metric', 'weightedDegree', '--via', 'Event'],
      projection,
    );
    expectSameScores(fromFile, again, 'stored projection --via Event');

    // The other form on top of the first is refused, and nothing is written.
    const onTop = runCli('import', [file, '--format', 'twomode'], projection);
    expect(onTop.status).toBe(1);
    expect(onTop.stderr).toMatch(/already in the store as its projection onto people/);
    const onTop2 = runCli('import', [file, '--format', 'twomode', '--project'], events);
    expect(onTop2.status).toBe(1);
    expect(onTop2.stderr).toMatch(/already in the store as events and attendance links/);
    expect(runJson<Ranked>('analyse', ['store', '--metric', 'degree'], projection).nodes).toBe(4);
  });
});

describe('direction and parallel links', { timeout: CLI_TIMEOUT }, () => {
  // A seeded asymmetric (directed, weighted) matrix.
  let seed = 11;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const n = 14;
  const names = Array.from({ length: n }, (_, i) => `actor ${i + 1}`);
  const w = names.map((_, i) =>
    names.map((__, j) => (i !== j && rnd() < 0.25 ? 1 + Math.floor(rnd() * 4) : 0)),
  );
  const matrix = `"",${names.join(',')}\n${names.map((a, i) => `${a},${w[i].join(',')}`).join('\n')}\n`;

  it('a directed matrix: the CLI says the store folds it, and --undirected ranks the file as the store does', () => {
    const file = t.file('directed.csv', matrix);
    const directed = runJson<Ranked>('analyse', [file, '--metric', 'betweennessWeighted']);
    expect(directed.directed).toBe(true);
    expect(directed.notes.join('\n')).toMatch(/directed file, ranked with its directions.*--undirected/);

    const env = t.db('directed');
    const imp = runJson<ImportJson>('import', [file, '--format', 'matrix'], env);
    expect(imp.notes.join('\n')).toMatch(
      /directed ties folded into \d+ undirected ties, one per pair, the two directions summed/,
    );
    for (const metric of ['betweennessWeighted', 'weightedDegree']) {
      const folded = runJson<Ranked>('analyse', [file, '--metric', metric, '--undirected']);
      expect(folded.directed).toBe(false);
      const store = runJson<Ranked>('analyse', ['store', '--metric', metric], env);
      expectSameScores(folded, store, metric);
    }
    // Folded means summed: each actor's weighted degree is its row plus its column.
    const folded = byLabel(runJson<Ranked>('analyse', [file, '--metric', 'weightedDegree', '--undirected']));
    names.forEach((a, i) => {
      const sum = w[i].reduce((s, x) => s + x, 0) + w.reduce((s, row) => s + row[i], 0);
      expect(folded.get(a), a).toBe(sum);
    });
  });

  it('an edge list listing pairs twice: one tie with its largest weight, from the file and from the store', () => {
    const lines = ['a b 2', 'b a 5', 'b c 1', 'c b 1', 'c d 4', 'a b 3', 'd e 2'];
    const file = t.file('pairs.txt', lines.join('\n') + '\n');
    const fromFile = runJson<Ranked>('analyse', [file, '--metric', 'weightedDegree']);
    expect(byLabel(fromFile)).toEqual(
      new Map([
        ['a', 5],
        ['b', 6],
        ['c', 5],
        ['d', 6],
        ['e', 2],
      ]),
    );
    expect(fromFile.notes.join('\n')).toMatch(
      /3 lines repeat a pair already listed .*largest weight \(lines 2, 4, 6\)/,
    );
    const env = t.db('pairs');
    runJson<ImportJson>('import', [file, '--format', 'edgelist'], env);
    expectSameScores(
      fromFile,
      runJson<Ranked>('analyse', ['store', '--metric', 'weightedDegree'], env),
      'pairs',
    );
  });

  it.skipIf(!HAVE_DATASETS)(
    'CAVIAR (directed, weighted): the file folded and the imported store rank alike',
    () => {
      const file = join(DATASETS_DIR, 'morselli_caviar.csv');
      const env = t.db('caviar');
      runJson<ImportJson>('import', [file, '--format', 'matrix'], env);
      const folded = runJson<Ranked>('analyse', [file, '--metric', 'betweennessWeighted', '--undirected']);
      const store = runJson<Ranked>('analyse', ['store', '--metric', 'betweennessWeighted'], env);
      expectSameScores(folded, store, 'caviar');
    },
  );
});

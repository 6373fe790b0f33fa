// The CLIs as a user runs them (tsx, a real file, worker threads for betweenness), checked against the
// engine in this process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { betweenness } from '../../server/analysis/betweenness.ts';
import { fromPlainGraph } from '../../server/analysis/csr.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { parseNetworkFile } from '../../server/import/formats/network-files.ts';
import { DATASETS_DIR, HAVE_DATASETS, loadExpected } from './reference-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, args: string[]): string {
  return execFileSync('node_modules/.bin/tsx', [`server/cli/${script}.ts`, ...args], { encoding: 'utf8' });
}

describe('npm run analyse / disrupt', () => {
  it('ranks a whitespace edge list by betweenness using worker threads, as the engine does', () => {
    const e = communityGraph({ n: 400, seed: 8 });
    const file = join(dir, 'edges.txt');
    writeFileSync(file, Array.from(e.us, (u, i) => `${u} ${e.vs[i]} ${e.ws[i]}`).join('\n'));
    const out = JSON.parse(run('analyse', [file, '--metric', 'betweenness', '--json', '--threads', '2'])) as {
      scores: Array<{ id: string; score: number; rank: number }>;
    };
    const g = fromPlainGraph(parseNetworkFile(readFileSync(file, 'utf8')));
    const exact = betweenness(g);
    expect(out.scores).toHaveLength(g.n);
    for (const s of out.scores) expect(s.score).toBeCloseTo(exact[g.ids.indexOf(s.id)], 12);
    expect(out.scores[0].rank).toBe(1);
  });

  it('refuses an unknown metric with the list of metrics', () => {
    expect(() => run('analyse', [join(dir, 'edges.txt'), '--metric', 'fame'])).toThrow(
      /unknown metric "fame"/,
    );
  });

  (HAVE_DATASETS ? it : it.skip)('disrupts the SIREN ring as networkx does (sequential betweenness)', () => {
    const out = JSON.parse(
      run('disrupt', [
        `${DATASETS_DIR}morselli_siren.csv`,
        '--strategy',
        'sequential',
        '--steps',
        '8',
        '--json',
      ]),
    ) as { steps: Array<{ removed: string[]; lccShare: number }> };
    const exp = loadExpected('siren').disruption!.sequentialBetweenness;
    expect(out.steps.map((s) => s.removed[0])).toEqual(exp.map((s) => s.removed));
    out.steps.forEach((s, i) => expect(s.lccShare).toBeCloseTo(exp[i].lccShare, 9));
  });
});

// Done-when for issue 8: on the seed network with its intervention (2024-07-01: a group leader and a
// broker arrested, named successors take over), the operational review names the generator's
// successors among the top three risers in betweenness and reports the disruption lab's predicted
// change in the largest component beside the observed one: through the service, the API's pure core
// and the `npm run review` command line.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load.ts';
import type { GroundTruth } from '../../seed/generate.ts';
import { computeReview } from '../../server/cycle/service.ts';
import { reviewBriefingSection } from '../../server/cycle/briefing.ts';
import type { ReviewResult } from '../../server/cycle/review.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BEFORE = { from: '2024-01-01', to: '2024-06-30' };
const AFTER = { from: '2024-07-01', to: '2024-12-31' };

let dir: string;
let dbPath: string;
let stores: SqliteStores;
let truth: GroundTruth;
let arrested: string[];
let successors: string[];
let review: ReviewResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lc-seed-review-'));
  dbPath = join(dir, 'seed.db');
  stores = await openSqliteStores(dbPath);
  truth = (await loadSeed(stores, { seed: 20240701, size: 'demo', intervention: true, truthFile: null }))
    .truth;
  const id = (key: string) => truth.ids![key];
  arrested = truth.intervention!.arrested.map(id);
  successors = truth.intervention!.arrested.map((k) => id(truth.intervention!.successors[k]));
  review = await computeReview(stores.graph, { before: BEFORE, after: AFTER, targets: arrested });
}, 120_000);
afterAll(async () => {
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('operational review of the seed intervention', () => {
  it('has the intervention the generator describes', () => {
    expect(truth.intervention!.date).toBe('2024-07-01');
    expect(arrested).toHaveLength(2);
    expect(successors.every(Boolean)).toBe(true);
    expect(review.targets.every((t) => t.presentBefore)).toBe(true);
  });

  it('names each successor among the top three risers in betweenness', () => {
    const top3 = review.risers.slice(0, 3).map((r) => r.id);
    for (const s of successors)
      expect(top3, `${truth.labels[Object.keys(truth.ids!).find((k) => truth.ids![k] === s)!]}`).toContain(s);
    // The arrested are never counted as risers.
    expect(review.risers.some((r) => arrested.includes(r.id))).toBe(false);
    expect(review.findings.join(' ')).toContain(review.risers[0].label);
  });

  it('reports the predicted and the observed change in the largest component', () => {
    const p = review.prediction!;
    expect(p.removed.sort()).toEqual([...arrested].sort());
    expect(p.predicted.lccShare.before).toBe(1);
    expect(p.predicted.lccShare.after).toBeGreaterThan(0);
    expect(p.predicted.lccShare.after).toBeLessThan(1);
    expect(Number.isFinite(p.observed.lccShare.after)).toBe(true);
    // The network re-formed: the largest component after is not smaller than the lab predicted.
    expect(p.observed.lccShare.after).toBeGreaterThan(p.predicted.lccShare.after);
    const text = review.findings.join(' ');
    expect(text).toMatch(/disruption lab predicted .* largest component to \d+\.\d% .*; observed: \d+\.\d%/);
    const section = reviewBriefingSection(review);
    expect(section.title).toBe('Operational review');
    const lcc = section.tables[0].rows.find((r) => r[0] === 'Largest component (vs before)')!;
    expect(section.tables[0].columns).toEqual(['Measure', 'Before', 'Predicted (lab)', 'Observed']);
    expect(lcc).toEqual([
      'Largest component (vs before)',
      '100.0%',
      pctOf(p.predicted.lccShare.after),
      pctOf(p.observed.lccShare.after),
    ]);
  });

  it('gives the same answer on the command line, as JSON and as text', async () => {
    const run = promisify(execFile);
    const args = [
      'tsx',
      'server/cli/review.ts',
      '--before',
      '2024-01-01..2024-06-30',
      '--after',
      '2024-07-01..2024-12-31',
      '--targets',
      arrested.join(','),
    ];
    const env = { ...process.env, LINKCHART_DB: dbPath };
    const json = JSON.parse(
      (await run('npx', [...args, '--json'], { cwd: REPO, env })).stdout,
    ) as ReviewResult;
    expect(json.risers.slice(0, 3).map((r) => r.id)).toEqual(review.risers.slice(0, 3).map((r) => r.id));
    expect(json.prediction!.predicted.lccShare.after).toBe(review.prediction!.predicted.lccShare.after);
    const text = (await run('npx', args, { cwd: REPO, env })).stdout;
    expect(text).toMatch(/^OPERATIONAL REVIEW/);
    expect(text).toContain('Who took over the brokerage');
    expect(text).toContain(review.risers[0].label);
    const bad = await run(
      'npx',
      ['tsx', 'server/cli/review.ts', '--before', '2024-06-01..2024-01-01', '--after', '..'],
      {
        cwd: REPO,
        env,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toMatch(/starts after it ends/);
  }, 60_000);
});

function pctOf(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

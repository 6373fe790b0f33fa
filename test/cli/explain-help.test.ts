// `npm run analyse -- explain` shows a node's rank stability interval (text and --json), refuses zero
// resamples, and every CLI's --help exits 0 with its usage. Each case failed before: analyse had no
// explain, explain with 0 resamples gave "rank 0", eigenvector on an empty graph "did not converge", and
// import, export and audit:verify exited non-zero on --help (import after creating a database key file).
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fromPlainGraph } from '../../server/analysis/csr.ts';
import { eigenvector } from '../../server/analysis/eigenvector.ts';
import { ExplainError, explain } from '../../server/analysis/explain.ts';
import { parseNetworkFile } from '../../server/import/formats/network-files.ts';
import { CLI_TIMEOUT, runCli, runJson, tempDir } from './run-cli.ts';

const t = tempDir('linkchart-cli-explain-');
afterAll(() => t.remove());

// Krackhardt's kite: Heather is the broker between the kite and its tail.
const KITE = [
  'Andre Beverly',
  'Andre Carol',
  'Andre Diane',
  'Andre Fernando',
  'Beverly Diane',
  'Beverly Ed',
  'Beverly Garth',
  'Carol Diane',
  'Carol Fernando',
  'Diane Ed',
  'Diane Fernando',
  'Diane Garth',
  'Ed Garth',
  'Fernando Garth',
  'Fernando Heather',
  'Garth Heather',
  'Heather Ike',
  'Ike Jane',
].join('\n');

interface ExplainJson {
  id: string;
  label: string;
  stability: {
    rank: number;
    interval: [number, number];
    resamples: number;
    dropShare: number;
    median: number;
  };
}

describe('npm run analyse -- explain', { timeout: CLI_TIMEOUT }, () => {
  it('gives the rank stability interval in --json, as the engine computes it, and in text', () => {
    const file = t.file('kite.txt', KITE + '\n');
    const x = runJson<ExplainJson>('analyse', [
      'explain',
      file,
      '--node',
      'Heather',
      '--resamples',
      '40',
      '--seed',
      '3',
    ]);
    const g = fromPlainGraph(parseNetworkFile(KITE));
    const engine = explain(g, g.ids.indexOf('Heather'), { resamples: 40, seed: 3 });
    expect(x.label).toBe('Heather');
    expect(x.stability).toEqual(engine.stability);
    expect(x.stability.rank).toBe(1);
    const [lo, hi] = x.stability.interval;
    expect(lo).toBeGreaterThanOrEqual(1);
    expect(lo).toBeLessThanOrEqual(x.stability.median);
    expect(hi).toBeGreaterThanOrEqual(x.stability.median);

    const text = runCli('analyse', [
      'explain',
      file,
      '--node',
      'Heather',
      '--resamples',
      '40',
      '--seed',
      '3',
    ]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      `rank stability (betweenness): rank 1; interval ${lo} to ${hi} (5th to 95th percentile over 40 resamples each dropping 10.0% of links, seed 3)`,
    );
  });

  it('refuses 0 resamples and an unknown node in words', () => {
    const file = t.file('kite2.txt', KITE + '\n');
    const zero = runCli('analyse', ['explain', file, '--node', 'Heather', '--resamples', '0']);
    expect(zero.status).toBe(1);
    expect(zero.stderr).toMatch(/--resamples must be a whole number from 1 to 500, got 0/);
    const nobody = runCli('analyse', ['explain', file, '--node', 'Zed']);
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toMatch(/--node: no node "Zed" in .*kite2\.txt/);
  });

  it('the engine refuses 0 resamples rather than reporting rank 0, and ranks an empty graph as nothing', () => {
    const g = fromPlainGraph(parseNetworkFile(KITE));
    expect(() => explain(g, 0, { resamples: 0 })).toThrow(ExplainError);
    expect(() => explain(g, 0, { resamples: 0 })).toThrow(/at least 1 resample/);
    const empty = fromPlainGraph({ nodes: [], edges: [] });
    expect(eigenvector(empty)).toHaveLength(0);
  });
});

describe('every CLI --help exits 0 and prints its usage', { timeout: CLI_TIMEOUT }, () => {
  const clis = ['analyse', 'disrupt', 'import', 'export', 'transfer', 'review', 'user', 'audit-verify'];
  for (const cli of clis) {
    it(cli, () => {
      const env = t.db(`help-${cli}`);
      const r = runCli(cli, ['--help'], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/usage: npm run/);
      // Asking for help opens nothing: no database and no audit key file appear.
      expect(existsSync(env.LINKCHART_DB)).toBe(false);
      expect(readdirSync(t.dir).filter((f) => f.startsWith(`help-${cli}`))).toEqual([]);
    });
  }
  it('analyse --help names the header rule and explain', () => {
    const r = runCli('analyse', ['--help']);
    expect(r.stdout).toMatch(/first line is a header only when it names the columns/);
    expect(r.stdout).toMatch(/npm run analyse -- explain/);
  });
});

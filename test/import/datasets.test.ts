// Every file in ../shared/datasets imports through the CLI and through the HTTP API with the stated
// entity and link counts, and importing it again changes nothing (same data version, nothing created).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { importFile } from '../../server/cli/import.ts';
import { startHarness, type Harness } from '../api/server-harness.ts';

const DATASETS = resolve(import.meta.dirname, '../../../shared/datasets');
const present = existsSync(DATASETS);
if (!present) console.warn(`skipping dataset imports: ${DATASETS} is absent`);

interface Case {
  file: string;
  args: string[];
  entities: number;
  links: number;
}

// Counts: matrices keep every actor (isolates too) and one undirected ASSOCIATE_OF per tied pair (the two
// directions of a directed matrix fold into one); edge lists one per distinct pair; the two-mode file
// 156 people + 47 summits and one INVOLVED_IN per attendance. Montagna matches the published 101/256 and
// 100/124 (Cavallaro et al. 2020).
const CASES: Case[] = [
  { file: 'morselli_caviar.csv', args: ['--format', 'matrix'], entities: 110, links: 205 },
  { file: 'morselli_cielnet.csv', args: ['--format', 'matrix'], entities: 25, links: 35 },
  { file: 'morselli_siren.csv', args: ['--format', 'matrix'], entities: 44, links: 103 },
  { file: 'morselli_togo.csv', args: ['--format', 'matrix'], entities: 33, links: 47 },
  { file: 'natajaran_cocaine.csv', args: ['--format', 'matrix'], entities: 28, links: 40 },
  { file: 'natajaran_heroin.csv', args: ['--format', 'matrix'], entities: 38, links: 87 },
  { file: 'LONDON_GANG.csv', args: ['--format', 'matrix'], entities: 54, links: 315 },
  { file: 'ITALIAN_GANGS.csv', args: ['--format', 'matrix'], entities: 67, links: 114 },
  { file: 'NDRANGHETAMAFIA_2M.csv', args: ['--format', 'twomode'], entities: 203, links: 455 },
  { file: 'krebs_9_11_edgelist.csv', args: ['--format', 'edgelist'], entities: 69, links: 159 },
  { file: 'Montagna_meetings_edgelist.csv', args: ['--format', 'edgelist'], entities: 101, links: 256 },
  { file: 'Montagna_phonecalls_edgelist.csv', args: ['--format', 'edgelist'], entities: 100, links: 124 },
];
const ATTRIB_ARGS = [
  '--format',
  'entities',
  '--no-header',
  '--entity-type',
  'Person',
  '--namespace',
  'krebs_9_11',
  '--map',
  '1=label,2=flight',
];

/** CLI flags -> the API's query string. */
function toQuery(args: string[], name: string): string {
  const q = new URLSearchParams({ name });
  for (let i = 0; i < args.length; i++) {
    const flag = args[i].replace(/^--/, '');
    if (flag === 'no-header') q.set('header', 'false');
    else if (flag === 'map') q.set('map', args[++i]);
    else
      q.set(
        flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
        args[++i],
      );
  }
  return q.toString();
}

describe.skipIf(!present)('shared datasets import via the CLI', () => {
  let dir: string;
  let stores: Stores;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkchart-ds-'));
    stores = await openStore({ LINKCHART_DB: join(dir, 'cli.db') });
  });
  afterAll(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.file}: ${c.entities} entities, ${c.links} links; again: nothing changes`, async () => {
      const path = join(DATASETS, c.file);
      const first = await importFile(stores, [path, ...c.args]);
      expect(first.error).toBeUndefined();
      expect(first.report!.entities).toEqual({ created: c.entities, matched: 0 });
      expect(first.report!.links).toEqual({ created: c.links, matched: 0 });
      const v = await stores.graph.dataVersion();
      const again = await importFile(stores, [path, ...c.args]);
      expect(again.report!.entities).toEqual({ created: 0, matched: c.entities });
      expect(again.report!.links).toEqual({ created: 0, matched: c.links });
      expect(await stores.graph.dataVersion()).toBe(v);
      expect(again.report!.importId).toBe(first.report!.importId);
    });
  }

  it('krebs_9_11_attrib.csv adds the flight to the 19 hijackers already imported from the edge list', async () => {
    const res = await importFile(stores, [join(DATASETS, 'krebs_9_11_attrib.csv'), ...ATTRIB_ARGS]);
    expect(res.error).toBeUndefined();
    expect(res.report!.entities).toEqual({ created: 0, matched: 19 });
    const hit = (await stores.graph.search('Hani Hanjour'))[0];
    expect(hit.entity.properties['flight']).toBe('77_Pentagon');
    const v = await stores.graph.dataVersion();
    await importFile(stores, [join(DATASETS, 'krebs_9_11_attrib.csv'), ...ATTRIB_ARGS]);
    expect(await stores.graph.dataVersion()).toBe(v);
  });

  it('the two-mode file is stored in one form: a projection on top of its events is refused', async () => {
    const file = join(DATASETS, 'NDRANGHETAMAFIA_2M.csv');
    const before = await stores.graph.dataVersion();
    const onTop = await importFile(stores, [file, '--format', 'twomode', '--project']);
    expect(onTop.error).toMatch(/already in the store as events and attendance links/);
    expect(await stores.graph.dataVersion()).toBe(before);
    // Under a namespace of its own: only people and the projection, no events.
    const res = await importFile(stores, [file, '--format', 'twomode', '--project', '--namespace', 'ndr-p']);
    expect(res.error).toBeUndefined();
    expect(res.report!.entities).toEqual({ created: 156, matched: 0 });
    expect(res.report!.links.created).toBeGreaterThan(1000);
    expect(res.report!.notes!.join(' ')).toMatch(/projection only/);
    const counts = await stores.counts();
    expect(counts.entitiesByType.Event).toBe(47);
  });

  it('the real CLI process imports a file and prints its report; a missing file exits 1 with the reason', () => {
    const env = { ...process.env, LINKCHART_DB: join(dir, 'proc.db') };
    const out = execFileSync(
      'npx',
      ['tsx', 'server/cli/import.ts', join(DATASETS, 'morselli_togo.csv'), '--format', 'matrix'],
      {
        env,
        encoding: 'utf8',
        cwd: resolve(import.meta.dirname, '../..'),
      },
    );
    expect(out).toContain('entities: 33 created, 0 matched');
    expect(out).toContain('links:    47 created, 0 matched');
    let failed: { status: number; stderr: string } | null = null;
    try {
      execFileSync('npx', ['tsx', 'server/cli/import.ts', join(dir, 'nope.csv'), '--format', 'cdr'], {
        env,
        encoding: 'utf8',
        stdio: 'pipe',
        cwd: resolve(import.meta.dirname, '../..'),
      });
    } catch (e) {
      failed = e as { status: number; stderr: string };
    }
    expect(failed?.status).toBe(1);
    expect(failed?.stderr).toContain('no file at');
  });
});

describe.skipIf(!present)('shared datasets import via the HTTP API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  for (const c of CASES) {
    it(`${c.file}: ${c.entities} entities, ${c.links} links; again: nothing changes`, async () => {
      const body = readFileSync(join(DATASETS, c.file));
      const url = `/api/imports?${toQuery(c.args, c.file)}`;
      const first = await h.call('POST', url, body, { 'content-type': 'text/csv' });
      expect(first.status, first.text).toBe(200);
      const r1 = first.json as { entities: unknown; links: unknown; dataVersion: number };
      expect(r1.entities).toEqual({ created: c.entities, matched: 0 });
      expect(r1.links).toEqual({ created: c.links, matched: 0 });
      const again = await h.call('POST', url, body, { 'content-type': 'text/csv' });
      const r2 = again.json as { entities: unknown; links: unknown; dataVersion: number };
      expect(r2.entities).toEqual({ created: 0, matched: c.entities });
      expect(r2.links).toEqual({ created: 0, matched: c.links });
      expect(r2.dataVersion).toBe(r1.dataVersion);
    });
  }

  it('krebs_9_11_attrib.csv matches the edge list people', async () => {
    const body = readFileSync(join(DATASETS, 'krebs_9_11_attrib.csv'));
    const res = await h.call('POST', `/api/imports?${toQuery(ATTRIB_ARGS, 'krebs_9_11_attrib.csv')}`, body, {
      'content-type': 'text/csv',
    });
    expect(res.status, res.text).toBe(200);
    expect((res.json as { entities: unknown }).entities).toEqual({ created: 0, matched: 19 });
  });
});

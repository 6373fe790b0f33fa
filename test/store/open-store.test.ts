// openStore: SQLite at LINKCHART_DB, folders created, and failures that say which file and how to fix it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('openStore', () => {
  it('opens SQLite at LINKCHART_DB, creating missing folders', async () => {
    const path = join(dir, 'a', 'b', 'store.db');
    const s = await openStore({ LINKCHART_DB: path });
    expect(s.kind).toBe('sqlite');
    expect((await s.counts()).entities).toBe(0);
    await s.close();
  });

  it('says which file cannot be opened and how to fix it', async () => {
    const notDb = join(dir, 'not-a-db.db');
    writeFileSync(notDb, 'this is a text file, not a database '.repeat(50));
    await expect(openStore({ LINKCHART_DB: notDb })).rejects.toThrow(
      new RegExp(`${notDb}.*not a database.*To fix: .*LINKCHART_DB`),
    );
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await expect(openStore({ LINKCHART_DB: join(file, 'x.db') })).rejects.toThrow(
      /plain-file\/x\.db.*To fix: .*is a file, not a folder/,
    );
  });
});

describe('npm run seed', () => {
  it('seeds a store file, prints counts and throughput, and refuses bad arguments plainly', () => {
    const db = join(dir, 'seeded.db');
    const truth = join(dir, 'truth.json');
    const ok = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'seed/cli.ts', '--db', db, '--size', '2000', '--seed', '5', '--truth', truth],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /Seeded 2000 links \(seed 5\): \d+ entities, 2000 links, \d+ reports .* links\/s/,
    );
    expect(ok.stdout).toMatch(/Ground truth: leaders .*Written to/);
    const bad = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'seed/cli.ts', '--db', db, '--size', 'lots'],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--size must be "demo" or a whole number/);
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

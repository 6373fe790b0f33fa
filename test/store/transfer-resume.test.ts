// npm run transfer streams and can be stopped: a real child process copying a generated network between two
// SQLite files is killed (SIGKILL) while it writes links; the target then holds the marker of the last batch it
// committed, refuses a plain second run, and `--resume` goes on from there to the source's digest and counts.
// Also: progress says a rate and the time left, and every link type has its paged read for Neo4j.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planNetwork } from '../../seed/generate.ts';
import { LINK_TYPES } from '../../server/domain/model.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { dumpCounts, dumpDigest } from '../../server/store/transfer/dump.ts';
import { dumpSqlite } from '../../server/store/transfer/sqlite.ts';
import { proposal } from '../contract/cycle-contract.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'lc-transfer-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, LINKCHART_TRANSFER_PROGRESS_MS: '0', LINKCHART_AUDIT_KEY: '' };

async function source(path: string): Promise<void> {
  const s = await openSqliteStores(path);
  try {
    for (const chunk of planNetwork({ seed: 7, size: 6_000 }, 2_000).chunks())
      await s.graph.writeBatch(chunk, { actor: 'ana', importId: 'gen' });
    const t = await s.cycle.saveTarget(proposal('e1'), { actor: 'ana' });
    await s.cycle.saveTarget({ ...proposal('e1'), id: t.id, status: 'approved' }, { actor: 'ana' });
    await s.cycle.appendTargetAction(
      t.id,
      { kind: 'warrant', date: '2024-07-06', outcome: 'Executed' },
      { actor: 'ana' },
    );
    for (let i = 0; i < 40; i++)
      await s.security.appendAudit({ actor: 'ana', action: `step ${i}`, outcome: 'ok' });
  } finally {
    await s.close();
  }
}

const cli = (args: string[]) =>
  spawnSync('npx', ['tsx', 'server/cli/transfer.ts', ...args], { cwd: REPO, env, encoding: 'utf8' });

describe('a stopped transfer resumes', () => {
  it(
    'killed while writing links, it goes on with --resume to the same digest',
    { timeout: 240_000 },
    async () => {
      const src = join(dir, 'src.db');
      const dst = join(dir, 'dst.db');
      await source(src);
      const args = ['--from', `sqlite:${src}`, '--to', `sqlite:${dst}`, '--batch=100'];
      // The first run is killed once it has said it is writing links.
      const seen: string[] = [];
      const code = await new Promise<number | null>((done) => {
        const child = spawn('npx', ['tsx', 'server/cli/transfer.ts', ...args], {
          cwd: REPO,
          env,
          detached: true,
        });
        let buf = '';
        child.stderr.on('data', (b: Buffer) => {
          buf += b.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const l of lines) {
            seen.push(l);
            // npx runs tsx runs node: the whole process group goes.
            if (/^copying links: [\d,]+ of/.test(l) && child.pid) process.kill(-child.pid, 'SIGKILL');
          }
        });
        child.on('exit', (c) => done(c));
      });
      expect(code).not.toBe(0);
      expect(
        seen.some((l) =>
          /^copying entities: [\d,]+ of [\d,]+ \(\d+%\), [\d,]+ a second, about .+ left$/.test(l),
        ),
      ).toBe(true);
      expect(existsSync(dst)).toBe(true);
      const partial = await openSqliteStores(dst);
      const marker = partial.db
        .prepare("SELECT v FROM meta WHERE k = 'transfer_resume'")
        .pluck()
        .get() as string;
      const done = dumpCounts(dumpSqlite(partial));
      await partial.close();
      expect(JSON.parse(marker)).toMatchObject({ part: 'links' });
      const a = await openSqliteStores(src);
      const whole = dumpSqlite(a);
      await a.close();
      expect(done.links).toBeGreaterThan(0);
      expect(done.links).toBeLessThan(whole.links.length);
      expect(done.audit).toBe(0);

      // A plain second run does not start over it, nor copy on top of it.
      const plain = cli(args);
      expect(plain.status).toBe(2);
      expect(plain.stderr).toMatch(/interrupted transfer .*--resume/);

      const resumed = cli([...args, '--resume']);
      expect(resumed.stderr + resumed.stdout).toMatch(/resuming .* at links/);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/verified/);
      const b = await openSqliteStores(dst);
      try {
        const copy = dumpSqlite(b);
        expect(dumpCounts(copy)).toEqual(dumpCounts(whole));
        expect(dumpDigest(copy)).toBe(dumpDigest(whole));
        expect(b.db.prepare("SELECT v FROM meta WHERE k = 'transfer_resume'").get()).toBeUndefined();
        // The copy is searchable (the full-text index was filled batch by batch) and numbers on after the copy.
        const ent = whole.entities[whole.entities.length - 1];
        expect((await b.graph.search(ent.label)).map((h) => h.entity.id)).toContain(ent.id);
        expect(await b.graph.dataVersion()).toBe(whole.dataVersion);
      } finally {
        await b.close();
      }
      // Nothing left to resume.
      const again = cli([...args, '--resume']);
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/no interrupted transfer/);
    },
  );

  it('reads every link type a page at a time on Neo4j (one paged query per type)', () => {
    for (const t of LINK_TYPES) {
      const f = join(REPO, 'cypher/queries', `dump-links-${t.toLowerCase().replace(/_/g, '-')}.cypher`);
      expect(existsSync(f), t).toBe(true);
    }
  });
});

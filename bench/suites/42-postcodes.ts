// Loading a postcode table: a generated file in the ONS Postcode Directory's shape (its 50-odd columns,
// about 520 bytes a row, as the real 2.7M-row ONSPD) streamed by `npm run postcodes -- load`'s loader into
// a new SQLite file, in a child process so its peak RSS is its own. Peer: the raw CSV parse of the same file
// (csv-parse, nothing kept), the floor any loader pays.
//
// `npm run bench -- 42-postcodes [--rows=300000,2700000]`
// Run directly with `--child FILE DB` it loads one file and prints its figures as JSON (used by the suite).
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { parseOnly } from '../peers/csv-parse-only.ts';
import type { BenchSuite } from '../run.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const AREAS = ['B', 'BD', 'CH', 'CW', 'DE', 'L', 'LL', 'LS', 'M', 'NG', 'S', 'SK', 'ST', 'SY', 'TF', 'WV'];

/** ONSPD-shaped rows with distinct postcodes; one in 200 has no grid reference (99.999999), as real ones. */
export async function writeOnspdFile(path: string, rows: number): Promise<void> {
  const extra = Array.from({ length: 38 }, (_, i) => `col${i}`);
  const out = createWriteStream(path);
  out.write(
    `pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,${extra.join(',')},lat,long\n`,
  );
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const area = AREAS[i % AREAS.length];
    const j = Math.floor(i / AREAS.length);
    const pc = `${area}${1 + (j % 99)} ${Math.floor(j / 99) % 10}${LETTERS[Math.floor(j / 990) % 20]}${LETTERS[Math.floor(j / 19_800) % 20]}`;
    const none = i % 200 === 0;
    const lat = none ? '99.999999' : (52 + (i % 20_000) / 10_000).toFixed(6);
    const lon = none ? '0.000000' : (-3 + (i % 30_000) / 10_000).toFixed(6);
    const codes = extra.map((_, k) => `"E0${(k * 7919 + i) % 10_000_000}"`).join(',');
    buf += `"${pc.replace(' ', '')}","${pc}","${pc}","198001","","E99999999","E99999999","E08000003","E05011376","E43000157","0","384302","398256","1",${codes},${lat},${lon}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function child(file: string, db: string): Promise<void> {
  const { loadPostcodes } = await import('../../server/geo/load-postcodes.ts');
  const t0 = performance.now();
  const r = await loadPostcodes(createReadStream(file), db, 'bench');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      loaded: r.loaded,
      withoutPosition: r.withoutPosition,
      errors: r.errorCount,
      dbMb: statSync(db).size / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

const suite: BenchSuite = {
  title: 'Postcode table: ONSPD-shaped CSV into the postcode file (stream, check, convert, batched inserts)',
  async run(args) {
    const rowsArg = args.find((a) => a.startsWith('--rows='));
    const sizes = rowsArg ? rowsArg.slice(7).split(',').map(Number) : [300_000, 2_700_000];
    const dir = mkdtempSync(join(tmpdir(), 'linkchart-bench-postcodes-'));
    try {
      const lines: string[] = [
        '| rows | file MB | load s | rows/s | CPU s | loaded | no position | table MB | peak RSS MB | peer: csv-parse only, rows/s | ratio |',
        '|---|---|---|---|---|---|---|---|---|---|---|',
      ];
      for (const rows of sizes) {
        const file = join(dir, `onspd-${rows}.csv`);
        await writeOnspdFile(file, rows);
        const out = execFileSync(
          join(ROOT, 'node_modules/.bin/tsx'),
          [
            join(ROOT, 'bench/suites/42-postcodes.ts'),
            '--child',
            file,
            join(dir, `postcodes-${rows}.sqlite`),
          ],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        const r = JSON.parse(out.trim().split('\n').pop()!) as {
          seconds: number;
          cpuSeconds: number;
          loaded: number;
          withoutPosition: number;
          dbMb: number;
          maxRssMb: number;
        };
        const peer = await parseOnly(file);
        const rate = rows / r.seconds;
        const peerRate = rows / peer;
        lines.push(
          `| ${rows.toLocaleString('en-GB')} | ${(statSync(file).size / 1e6).toFixed(0)} | ${r.seconds.toFixed(1)} | ${Math.round(rate).toLocaleString('en-GB')} | ${r.cpuSeconds.toFixed(1)} | ${r.loaded.toLocaleString('en-GB')} | ${r.withoutPosition.toLocaleString('en-GB')} | ${r.dbMb.toFixed(0)} | ${r.maxRssMb.toFixed(0)} | ${Math.round(peerRate).toLocaleString('en-GB')} | ${(rate / peerRate).toFixed(2)} |`,
        );
        rmSync(file, { force: true });
      }
      console.log(lines.join('\n'));
      console.log(
        `Machine load average while running: ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')} on ${cpus().length} cores (wall figures suffer when it is above the core count).`,
      );
      console.log(
        'Peak RSS should stay near flat from 300k to 2.7M rows: the file is streamed, rows go to disk in batches.',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
}

// Likely duplicates (issue 19): precision and recall of the resolver's proposals at its default threshold on
// the labelled set (seed/dupes.ts: typos, transliterations and short forms, swapped names, initials, missing
// and mistyped dates of birth, shared phones, namesakes who are different people; duplicate phones and
// vehicles), at 10k and 100k people, beside a plain exact-name baseline (records of one type with the same
// name are proposed). Each size runs in a child process so its time and peak RSS are its own. Also the
// string measures the resolver could use, timed on the same names (how they were picked).
//
// `npm run bench -- 45-dedupe [--people=10000,100000]`
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchSuite } from '../run.ts';

const ROOT = resolvePath(import.meta.dirname, '../..');

interface Score {
  truePairs: number;
  proposed: number;
  correct: number;
}
interface ChildResult {
  people: number;
  records: number;
  generateSeconds: number;
  resolveSeconds: number;
  /** CPU time of the resolve step (user + system): what the machine's load does not inflate. */
  resolveCpuSeconds: number;
  comparisons: number;
  skippedBlocks: number;
  maxRssMb: number;
  resolver: Record<string, Score>;
  baseline: Record<string, Score>;
  /** Recall of person pairs by how the duplicate was made. */
  recallByKind: Record<string, { found: number; of: number }>;
}

const TYPE_OF: Record<string, string> = { P: 'Person', T: 'Phone', V: 'Vehicle' };

async function child(people: number): Promise<void> {
  const { generateDupeSet, truePairs } = await import('../../seed/dupes.ts');
  const { resolve } = await import('../../server/dedupe/resolver.ts');
  let t0 = performance.now();
  const set = generateDupeSet({ people });
  const generateSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { proposals, stats } = resolve(set.records);
  const resolveSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const resolveCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const truth = truePairs(set);
  const score = (): Record<string, Score> =>
    Object.fromEntries(
      ['Person', 'Phone', 'Vehicle', 'all'].map((t) => [t, { truePairs: 0, proposed: 0, correct: 0 }]),
    );
  const resolver = score();
  const baseline = score();
  for (const k of truth) {
    resolver[TYPE_OF[k[0]]].truePairs++;
    baseline[TYPE_OF[k[0]]].truePairs++;
  }
  const found = new Set<string>();
  for (const p of proposals) {
    const s = resolver[p.type];
    s.proposed++;
    if (truth.has(`${p.a}|${p.b}`)) {
      s.correct++;
      found.add(`${p.a}|${p.b}`);
    }
  }
  // Baseline: every two records of one type with the same name (case and spacing aside), counted by group.
  const groups = new Map<string, Map<string, number>>();
  for (const r of set.records) {
    const key = `${r.type}|${r.label.toLowerCase().replace(/\s+/g, ' ').trim()}`;
    const g = groups.get(key) ?? new Map<string, number>();
    const subj = set.subject.get(r.id)!;
    g.set(subj, (g.get(subj) ?? 0) + 1);
    groups.set(key, g);
  }
  const c2 = (n: number) => (n * (n - 1)) / 2;
  for (const [key, g] of groups) {
    const s = baseline[key.slice(0, key.indexOf('|'))];
    let size = 0;
    for (const n of g.values()) {
      size += n;
      s.correct += c2(n);
    }
    s.proposed += c2(size);
  }
  for (const sc of [resolver, baseline]) {
    for (const t of ['Person', 'Phone', 'Vehicle']) {
      sc.all.truePairs += sc[t].truePairs;
      sc.all.proposed += sc[t].proposed;
      sc.all.correct += sc[t].correct;
    }
  }
  const recallByKind: ChildResult['recallByKind'] = {};
  for (const k of truth) {
    const [a, b] = k.split('|');
    const kind = set.kind.get(b) ?? set.kind.get(a) ?? 'two copies';
    const e = (recallByKind[kind] ??= { found: 0, of: 0 });
    e.of++;
    if (found.has(k)) e.found++;
  }
  const result: ChildResult = {
    people,
    records: set.records.length,
    generateSeconds,
    resolveSeconds,
    resolveCpuSeconds,
    comparisons: stats.comparisons,
    skippedBlocks: stats.skippedBlocks,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    resolver,
    baseline,
    recallByKind,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** The string measures on offer, timed on name pairs (microseconds a call). */
function stringMeasures(): string[] {
  const require = createRequire(import.meta.url);
  const names = [
    'smith',
    'smyth',
    'johnson',
    'jonson',
    'mohammed',
    'muhammad',
    'aleksandr',
    'alexander',
    'obrien',
    'williams',
    'wiliams',
    'robert',
    'bob',
    'catherine',
    'kathryn',
    'okonkwo',
    'wisniewski',
    'fitzgerald',
  ];
  const time = (f: (a: string, b: string) => unknown): number => {
    const n = 200_000;
    for (let i = 0; i < 10_000; i++) f(names[i % names.length], names[(i * 7) % names.length]);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f(names[i % names.length], names[(i * 7 + 3) % names.length]);
    return ((performance.now() - t0) / n) * 1000;
  };
  const load = <T>(id: string): T => require(id) as T;
  const rows: [string, string, number, string][] = [
    [
      'Double Metaphone',
      'double-metaphone',
      time(load<{ doubleMetaphone: (s: string) => unknown }>('double-metaphone').doubleMetaphone),
      'used',
    ],
    [
      'Double Metaphone',
      'talisman',
      time(load<(s: string) => unknown>('talisman/phonetics/double-metaphone')),
      'not used',
    ],
    [
      'Jaro-Winkler',
      'talisman',
      time(load<(a: string, b: string) => number>('talisman/metrics/jaro-winkler')),
      'used',
    ],
    [
      'Jaro-Winkler',
      'jaro-winkler',
      time(load<(a: string, b: string) => number>('jaro-winkler')),
      'not used',
    ],
    [
      'Levenshtein',
      'fastest-levenshtein',
      time(load<{ distance: (a: string, b: string) => number }>('fastest-levenshtein').distance),
      'used',
    ],
    [
      'Levenshtein',
      'talisman',
      time(load<(a: string, b: string) => number>('talisman/metrics/levenshtein')),
      'not used',
    ],
  ];
  return [
    '| measure | package | µs a call | |',
    '|---|---|---|---|',
    ...rows.map(([m, p, us, used]) => `| ${m} | ${p} | ${us.toFixed(2)} | ${used} |`),
  ];
}

const pr = (s: Score) =>
  `${s.proposed ? (s.correct / s.proposed).toFixed(3) : '-'} | ${s.truePairs ? (s.correct / s.truePairs).toFixed(3) : '-'}`;

const suite: BenchSuite = {
  title: 'Likely duplicates: precision and recall on the labelled set, beside an exact-name baseline',
  async run(args) {
    const arg = args.find((a) => a.startsWith('--people='));
    const sizes = arg ? arg.slice(9).split(',').map(Number) : [10_000, 100_000];
    const lines = [
      '| people | records | type | true pairs | proposed | precision | recall | exact-name baseline: precision | recall |',
      '|---|---|---|---|---|---|---|---|---|',
    ];
    const timing = [
      '| people | records | generate s | resolve s (wall) | resolve CPU s | comparisons | blocks too common | peak RSS MB |',
      '|---|---|---|---|---|---|---|---|',
    ];
    const kinds: string[] = [];
    for (const people of sizes) {
      const out = execFileSync(
        resolvePath(ROOT, 'node_modules/.bin/tsx'),
        [resolvePath(ROOT, 'bench/suites/45-dedupe.ts'), '--child', String(people)],
        { encoding: 'utf8', maxBuffer: 1 << 22 },
      );
      const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
      for (const t of ['Person', 'Phone', 'Vehicle', 'all']) {
        const s = r.resolver[t];
        lines.push(
          `| ${people.toLocaleString('en-GB')} | ${r.records.toLocaleString('en-GB')} | ${t} | ${s.truePairs} | ${s.proposed} | ${pr(s)} | ${pr(r.baseline[t])} |`,
        );
      }
      timing.push(
        `| ${people.toLocaleString('en-GB')} | ${r.records.toLocaleString('en-GB')} | ${r.generateSeconds.toFixed(1)} | ${r.resolveSeconds.toFixed(1)} | ${r.resolveCpuSeconds.toFixed(1)} | ${r.comparisons.toLocaleString('en-GB')} | ${r.skippedBlocks} | ${r.maxRssMb.toFixed(0)} |`,
      );
      kinds.push(
        `${people.toLocaleString('en-GB')} people, recall by how the duplicate was made: ` +
          Object.entries(r.recallByKind)
            .sort()
            .map(([k, v]) => `${k} ${(v.found / v.of).toFixed(2)} (${v.of})`)
            .join(', '),
      );
    }
    console.log(lines.join('\n'));
    console.log('');
    console.log(timing.join('\n'));
    console.log('');
    console.log(kinds.join('\n'));
    console.log('');
    console.log(stringMeasures().join('\n'));
    console.log(
      `Machine load average while running: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} cores (wall figures suffer when it is above the core count).`,
    );
  },
};
export default suite;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--child') {
  await child(Number(process.argv[3]));
}

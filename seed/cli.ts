// `npm run seed -- [--size demo|N] [--seed N] [--db PATH] [--truth FILE] [--intervention]`: writes the synthetic
// county-lines network into the store (LINKCHART_DB, or --db) and prints counts and throughput.
import { parseArgs } from 'node:util';
import { openStore } from '../server/store/open-store.ts';
import { DEFAULT_SEED, loadSeed } from './load.ts';

function fail(message: string): never {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      size: { type: 'string', default: 'demo' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      db: { type: 'string' },
      truth: { type: 'string' },
      intervention: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (e) {
  fail(
    `${(e as Error).message}. Usage: npm run seed -- [--size demo|N] [--seed N] [--db PATH] [--truth FILE]`,
  );
}
if (args.help) {
  process.stdout.write(
    'npm run seed -- [--size demo|N] [--seed N] [--db PATH] [--truth FILE] [--intervention]\n' +
      '  --size   demo (about 500 entities) or a number of links, e.g. 100000\n' +
      '  --seed   a whole number; the same seed gives the same network\n' +
      '  --db     SQLite file (default: LINKCHART_DB or data/linkchart.db)\n' +
      '  --truth  where to write the ground truth JSON (demo default: data/demo-truth.json)\n' +
      '  --intervention  arrest a leader and a broker on 2024-07-01; named successors take over\n',
  );
  process.exit(0);
}
const size = args.size === 'demo' ? 'demo' : Number(args.size);
if (size !== 'demo' && (!Number.isInteger(size) || size < 100)) {
  fail(`--size must be "demo" or a whole number of links of at least 100 (got "${args.size}")`);
}
const seed = Number(args.seed);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be a whole number (got "${args.seed}")`);

let stores;
try {
  stores = await openStore(args.db ? { ...process.env, LINKCHART_DB: args.db } : process.env);
} catch (e) {
  fail((e as Error).message);
}
try {
  let last = 0;
  const r = await loadSeed(stores, {
    size,
    seed,
    intervention: args.intervention,
    ...(args.truth !== undefined ? { truthFile: args.truth } : {}),
    onChunk: ({ links, seconds }) => {
      if (seconds - last >= 2) {
        last = seconds;
        process.stdout.write(`  ${links.toLocaleString('en-GB')} links written (${seconds.toFixed(1)} s)\n`);
      }
    },
  });
  const c = r.counts;
  const names = (keys: string[]) =>
    keys
      .slice(0, 5)
      .map((k) => r.truth.labels[k])
      .join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : '');
  const fmt = (o: Record<string, number | undefined>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  process.stdout.write(
    `Seeded ${size === 'demo' ? 'the demo network' : `${size} links`} (seed ${seed}): ` +
      `${r.entities} entities, ${r.links} links, ${r.reports} reports written in ${r.seconds.toFixed(2)} s ` +
      `(${Math.round(r.linksPerSecond).toLocaleString('en-GB')} links/s into the store).\n` +
      `Store now holds ${c.entities} entities (${fmt(c.entitiesByType)}), ${c.links} links (${fmt(c.linksByType)}), ${c.reports} reports.\n` +
      `Ground truth: leaders ${names(r.truth.leaders)}; brokers ${names(r.truth.brokers)}.` +
      (r.truthFile ? ` Written to ${r.truthFile}.` : '') +
      '\n',
  );
} catch (e) {
  fail((e as Error).message);
} finally {
  await stores.close();
}

// `npm run bench [-- NAME ...]`: runs every suite in bench/suites (or those whose file name contains a NAME),
// one after another so they do not compete for the two cores. Each suite prints its own table with ratios
// against a peer measured in the same run.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export interface BenchSuite {
  title: string;
  run(args: string[]): Promise<void>;
}

const dir = fileURLToPath(new URL('./suites', import.meta.url));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => filters.length === 0 || filters.some((n) => f.includes(n)))
  .sort();

for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: BenchSuite };
  console.log(`\n### ${mod.default.title} (${f})`);
  const t0 = performance.now();
  await mod.default.run(process.argv.slice(2));
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

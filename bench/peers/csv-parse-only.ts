// The peer for the CSV-reading suites (41-import, 42-postcodes): csv-parse alone reading the same file,
// no checks and no writes, in seconds.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export async function parseOnly(file: string): Promise<number> {
  const t0 = performance.now();
  const p = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }));
  for await (const _ of p) void _;
  return (performance.now() - t0) / 1000;
}

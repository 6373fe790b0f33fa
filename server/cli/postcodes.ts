// npm run postcodes -- load FILE.csv [--max-bytes N] [--max-rows N] | status | lookup POSTCODE…
// Loads the postcode table the map places locations by (server/geo/load-postcodes.ts): the open ONS
// Postcode Directory (ONSPD / NSPL CSV) or Code-Point Open (one area's CSV, or all of them joined). The table
// is a file beside the database (LINKCHART_POSTCODES, default postcodes.sqlite next to LINKCHART_DB), read
// by the server whichever store it uses; a running server picks a new table up at its next request.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError, loadConfig } from '../config.ts';
import { LOAD_DEFAULTS, PostcodeLoadError, loadPostcodes } from '../geo/load-postcodes.ts';
import { PostcodeTable } from '../geo/postcode-table.ts';
import { postcodesPath } from '../geo/route.ts';

const USAGE = `usage: npm run postcodes -- <command>
  load FILE.csv [--max-bytes N] [--max-rows N]   load a postcode table (ONS Postcode Directory or Code-Point Open CSV)
  status                                        what table is loaded
  lookup POSTCODE...                            positions of postcodes from the table
The table file is LINKCHART_POSTCODES (default: postcodes.sqlite beside LINKCHART_DB).`;

class UsageError extends Error {}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} needs a whole number, not "${args[i + 1] ?? ''}"`);
  args.splice(i, 2);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  const command = args.shift();
  const path = postcodesPath(loadConfig());
  if (command === 'load') {
    const maxBytes = flag(args, '--max-bytes', LOAD_DEFAULTS.maxBytes);
    const maxRows = flag(args, '--max-rows', LOAD_DEFAULTS.maxRows);
    const file = args[0];
    if (!file || args.length > 1) throw new UsageError('load needs one CSV file');
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no file ${file}`);
    const size = statSync(file).size;
    if (size > maxBytes)
      throw new PostcodeLoadError(
        `${file} is ${size} bytes, over the limit of ${maxBytes}; raise it with --max-bytes`,
      );
    const started = Date.now();
    const report = await loadPostcodes(createReadStream(file), path, basename(file), {
      ...LOAD_DEFAULTS,
      maxBytes,
      maxRows,
    });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${report.layout}: ${report.loaded} postcodes loaded into ${path} in ${secs} s`);
    if (report.withoutPosition)
      console.log(`${report.withoutPosition} rows have no position in the source (skipped)`);
    if (report.errorCount) {
      console.log(
        `${report.errorCount} rows could not be read${report.errorCount > report.errors.length ? '; the first:' : ':'}`,
      );
      for (const e of report.errors) console.log(`  line ${e.line}: ${e.message}`);
    }
    return;
  }
  const table = new PostcodeTable(path);
  try {
    if (command === 'status') {
      const info = table.info();
      console.log(
        info
          ? `${info.rows} postcodes from ${info.source} (${info.layout}), loaded ${info.loadedAt}; file ${path}`
          : `no postcode table loaded (${path} does not exist)`,
      );
      return;
    }
    if (command === 'lookup') {
      if (!args.length) throw new UsageError('lookup needs at least one postcode');
      if (!table.info()) throw new UsageError(`no postcode table loaded (${path} does not exist)`);
      const found = new Map(table.lookup(args).map((p) => [p.postcode.replace(' ', ''), p]));
      for (const a of args) {
        const p = found.get(a.toUpperCase().replace(/[^A-Z0-9]/g, ''));
        console.log(p ? `${p.postcode}\t${p.lat}\t${p.lon}` : `${a}\tnot in the table`);
      }
      return;
    }
  } finally {
    table.close();
  }
  throw new UsageError(command ? `unknown command "${command}"` : 'no command');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) console.error(`${err.message}\n${USAGE}`);
  else if (err instanceof PostcodeLoadError || err instanceof ConfigError)
    console.error(`postcodes: ${err.message}`);
  else console.error(err);
  process.exitCode = 1;
});

// `npm run import -- FILE --format cdr|anpr|entities|links|edgelist|matrix|twomode [--map col=field ...]
//   [--report REF --grading 2B --handling P [--conditions TEXT]] [--namespace NS] [--entity-type T]
//   [--link-type T] [--from-type T] [--to-type T] [--header|--no-header] [--project] [--skip-invalid] [--json]`
// The same pipeline as POST /api/imports, into the store LINKCHART_DB names.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openStore } from '../store/open-store.ts';
import type { Stores } from '../store/stores.ts';
import { runImport } from '../import/pipeline.ts';
import { ApiError } from '../routes/errors.ts';
import type { ImportReport } from '../api-types/imports.ts';

export const IMPORT_USAGE = `usage: npm run import -- FILE --format cdr|anpr|entities|links|edgelist|matrix|twomode
  [--map COLUMN=FIELD ...]   e.g. --map "A Number=caller" --map "B Number=callee"
  [--report REF] [--grading 2B] [--handling P|C] [--conditions TEXT] [--report-date YYYY-MM-DD]
  [--namespace NS] [--entity-type Person] [--link-type ASSOCIATE_OF] [--from-type T] [--to-type T]
  [--header | --no-header] [--delimiter ,|;|tab|'|'] [--project] [--skip-invalid] [--actor NAME] [--json]
headers: CSV formats (cdr, anpr, entities, links) have a header row unless --no-header. An edge list's
  first line is a header only when it names the columns (its first two cells are column names such as
  source/target, from/to, node1/node2 or id1/id2, and the third, if any, is not a number); any other first
  line is a tie, so a bad weight there is an error naming the line, never a silently skipped row. A matrix
  or two-mode file has labels in its first row and column unless its first row is all numbers (then they
  are numbered 1, 2, ...). --header or --no-header says it outright.
network files: weights are decimal numbers >= 0 (anything else is an error naming the line); self-loops and
  zero weights are dropped and counted in the report; a pair an edge list lists twice (either way round) is
  one link with its largest weight. Each pair becomes ONE undirected ASSOCIATE_OF link: a directed matrix's
  two directions are summed into it (kept apart as weightAB and weightBA), and the report says so.
twomode: stored as people, events and attendance (INVOLVED_IN) links; analyse people with --via Event.
  --project stores instead only the people and the projection (ASSOCIATE_OF weighted by events shared),
  never both forms, so no shared event is counted twice.`;

export interface ImportCliResult {
  report?: ImportReport;
  error?: string;
}

export function cliOptions(argv: string[]): {
  file: string;
  options: Record<string, unknown>;
  json: boolean;
  actor: string;
} {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      map: { type: 'string', multiple: true },
      report: { type: 'string' },
      grading: { type: 'string' },
      handling: { type: 'string' },
      conditions: { type: 'string' },
      'report-date': { type: 'string' },
      namespace: { type: 'string' },
      'entity-type': { type: 'string' },
      'link-type': { type: 'string' },
      'from-type': { type: 'string' },
      'to-type': { type: 'string' },
      header: { type: 'boolean' },
      'no-header': { type: 'boolean' },
      delimiter: { type: 'string' },
      project: { type: 'boolean' },
      'skip-invalid': { type: 'boolean' },
      actor: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1 || !values.format)
    throw new ApiError(400, 'usage', IMPORT_USAGE);
  if (values.header && values['no-header'])
    throw new ApiError(400, 'usage', '--header and --no-header contradict each other');
  const file = positionals[0];
  const options: Record<string, unknown> = {
    format: values.format,
    name: basename(file),
    ...(values.map ? { map: values.map.flatMap((m) => m.split(',')).filter(Boolean) } : {}),
    ...(values.report ? { report: values.report } : {}),
    ...(values.grading ? { grading: values.grading } : {}),
    ...(values.handling ? { handling: values.handling } : {}),
    ...(values.conditions ? { conditions: values.conditions } : {}),
    ...(values['report-date'] ? { reportDate: values['report-date'] } : {}),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values['entity-type'] ? { entityType: values['entity-type'] } : {}),
    ...(values['link-type'] ? { linkType: values['link-type'] } : {}),
    ...(values['from-type'] ? { fromType: values['from-type'] } : {}),
    ...(values['to-type'] ? { toType: values['to-type'] } : {}),
    ...(values['no-header'] ? { header: false } : values.header ? { header: true } : {}),
    ...(values.delimiter ? { delimiter: values.delimiter } : {}),
    ...(values.project ? { project: true } : {}),
    ...(values['skip-invalid'] ? { skipInvalid: true } : {}),
  };
  let actor = values.actor;
  if (!actor) {
    try {
      actor = `cli:${userInfo().username}`;
    } catch {
      actor = 'cli';
    }
  }
  return { file, options, json: Boolean(values.json), actor };
}

export function describeReport(r: ImportReport): string {
  return [
    `Imported ${r.name} (${r.format}) as ${r.importId} in ${r.ms} ms:`,
    `  rows read ${r.rowsRead}, rejected ${r.rowsRejected}`,
    ...(r.notes ?? []).map((n) => `  note: ${n}`),
    `  entities: ${r.entities.created} created, ${r.entities.matched} matched`,
    `  links:    ${r.links.created} created, ${r.links.matched} matched`,
    ...(r.reports.created ? [`  reports:  ${r.reports.created} created`] : []),
    ...r.rejected
      .slice(0, 20)
      .map((e) => `  rejected row ${e.row ?? '?'}${e.column ? ` (${e.column})` : ''}: ${e.message}`),
    `  data version ${r.dataVersion}`,
  ].join('\n');
}

/** Runs one import against an open store; never throws for a bad file (returns the error text). */
export async function importFile(
  stores: Stores,
  argv: string[],
): Promise<ImportCliResult & { json: boolean }> {
  let parsed: ReturnType<typeof cliOptions>;
  try {
    parsed = cliOptions(argv);
  } catch (e) {
    return { error: (e as Error).message, json: false };
  }
  const { file, options, json, actor } = parsed;
  if (!existsSync(file) || !statSync(file).isFile()) return { error: `no file at ${file}`, json };
  // An import from the command line is audited like one through the API (DPA 2018 s.62: collection).
  const audit = (outcome: 'ok' | 'failed', objectIds: string[], details: Record<string, unknown>) =>
    stores.security.appendAudit({
      actor,
      action: 'import',
      route: 'cli import',
      outcome,
      objectIds,
      details,
    });
  try {
    const report = await runImport({
      store: stores.graph,
      input: createReadStream(file),
      options,
      ctx: { actor },
      limits: { uploadBytes: Number.MAX_SAFE_INTEGER },
    });
    await audit('ok', [report.importId], {
      file: basename(file),
      format: report.format,
      rowsRead: report.rowsRead,
      rowsRejected: report.rowsRejected,
      entities: report.entities,
      links: report.links,
      reports: report.reports,
      dataVersion: report.dataVersion,
    });
    return { report, json };
  } catch (e) {
    await audit('failed', [], {
      file: basename(file),
      format: options['format'] ?? null,
      error: e instanceof Error ? e.message.slice(0, 2000) : String(e).slice(0, 2000),
    });
    if (e instanceof ApiError) {
      // A network file's message names its line already.
      const named = /^line \d+: /.test(e.message);
      const where = [
        e.extra.row !== undefined && !named ? `row ${e.extra.row}` : '',
        e.extra.column ? `column ${JSON.stringify(e.extra.column)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const details = (e.extra.details ?? [])
        .slice(1, 20)
        .map((d) => `  row ${d.row ?? '?'}${d.column ? ` (${d.column})` : ''}: ${d.message}`);
      return { error: [`${file}${where ? ` (${where})` : ''}: ${e.message}`, ...details].join('\n'), json };
    }
    const se = e as { name?: string; message?: string };
    if (se.name === 'StoreError') return { error: `${file}: ${se.message}`, json };
    throw e;
  }
}

/** Asked for help: the usage, before anything opens the store (which may create files). */
export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(IMPORT_USAGE + '\n');
    return;
  }
  let stores: Stores;
  try {
    stores = await openStore();
  } catch (e) {
    process.stderr.write(`linkchart import: ${(e as Error).message}\n`);
    process.exit(1);
  }
  try {
    const res = await importFile(stores, process.argv.slice(2));
    if (res.error) {
      process.stderr.write(`linkchart import: ${res.error}\n`);
      process.exitCode = 1;
    } else if (res.report) {
      process.stdout.write(
        (res.json ? JSON.stringify(res.report, null, 2) : describeReport(res.report)) + '\n',
      );
    }
  } finally {
    await stores.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    process.stderr.write(`linkchart import: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}

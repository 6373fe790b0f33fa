// Loading an EMPTY Neo4j of our own through its offline importer (`neo4j-admin database import full`), several
// times faster than any online write: the source streams into one CSV file per kind (the same nodes and
// relationships the online load writes, from Neo4jRows), each kind's header written last into a file of its
// own once every column's type is known; then the importer replaces the `neo4j` database (Community has no
// other) under a stopped server, and the server is started again. The server is stopped (cypher/server/neo4j.sh,
// which finds the jars as it does) while the files are written, since its clean shutdown takes seconds of its
// own. Each phase's time is logged. The caller then applies the schema, sets the counters and verifies.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEvent } from '../../domain/model.ts';
import type { AuditKey } from '../../security/audit-chain.ts';
import { ARRAY_DELIMITER, CsvFile } from './csv.ts';
import { StreamDigest } from './digest.ts';
import { noHighest, seeHighest } from './highest.ts';
import { Neo4jRows } from './neo4j.ts';
import { LOAD_ORDER, type DumpPart } from './parts.ts';
import { ChainBroken, ChainCheck, type StreamOptions } from './pipeline.ts';
import { Progress } from './progress.ts';
import type { DumpReader, Highest, Marker } from './stream.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(REPO, 'cypher/server/neo4j.sh');
/** The folder of the local Neo4j server the importer may work on (as cypher/server/neo4j.sh uses it). */
export function localNeo4jHome(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.LINKCHART_NEO4J_HOME || null;
}

const LABEL: Record<DumpPart, string> = {
  reports: 'Report',
  entities: 'Entity',
  aliases: 'Alias',
  links: '',
  merges: 'Merge',
  annotations: 'Annotation',
  charts: 'Chart',
  users: 'User',
  audit: 'Audit',
  importRuns: 'ImportRun',
  targets: 'Target',
  targetActions: 'TargetAction',
  drafts: 'Draft',
  events: 'LinkEvent',
  duplicateProposals: 'DuplicateProposal',
  duplicateDecisions: 'DuplicateDecision',
  operations: 'Operation',
  operationMembers: 'OperationMember',
  deconflictionNotices: 'DeconflictionNotice',
  deconflictionEvents: 'DeconflictionEvent',
};

/** Seconds since `t` (performance.now()), for the phase log. */
const since = (t: number) => (performance.now() - t) / 1000;

/** A child process, without holding the event loop (files are written meanwhile); its output kept for errors. */
function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ seconds: number; output: string }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer) => {
      // The importer's progress bars are long; the end of the output is what says why it failed.
      output = (output + b.toString()).slice(-64_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ seconds: since(t), output });
      else
        reject(
          new Error(
            `${cmd} ${args[0] ?? ''} ${args[1] ?? ''} failed (exit ${code}):\n${output.slice(-3000)}`,
          ),
        );
    });
  });
}

/** How long each phase of the load took, in seconds (the bench prints them). */
export interface ImportPhases {
  /** Reading the source, digesting it and writing the CSV files. */
  files: number;
  /** Stopping the server (while the files were written). */
  stop: number;
  /** Waiting for the stop after the files were done. */
  stopWait: number;
  importer: number;
  start: number;
}

export interface Imported {
  digest: string;
  counts: Record<DumpPart, number>;
  highest: Highest;
  dataVersion: number;
  phases: ImportPhases;
  /** Bytes of CSV handed to the importer. */
  bytes: number;
}

const SPECIAL: Partial<Record<DumpPart, Record<string, string>>> = {
  entities: { id: 'id:ID(Entity)', labels: ':LABEL' },
  links: { from: ':START_ID(Entity)', to: ':END_ID(Entity)', type: ':TYPE' },
  targets: { id: 'id:ID(Target)' },
  targetActions: { id: 'id:ID(TargetAction)' },
};

/** The importer's own summary (its last lines: the time and the memory it used), for the log. */
function importerSummary(output: string): string {
  const done = /IMPORT DONE in ([^\n]+)/.exec(output)?.[1];
  const mem = /Peak memory usage: ([^\n]+)/.exec(output)?.[1];
  return [done && `the importer says ${done.trim()}`, mem && `peak memory ${mem.trim()}`]
    .filter(Boolean)
    .join(', ');
}

/**
 * Streams the source into CSV files and runs the importer on the local server's folder. `port` is the Bolt
 * port the server listens on (cypher/server/neo4j.sh starts it there again). If anything fails after the server
 * was stopped, it is started again (on whatever database it then has) before the error is passed on.
 */
export async function importNeo4j(
  reader: DumpReader,
  opts: StreamOptions & {
    key: AuditKey | null;
    home: string;
    port: number;
    route: string;
    log: (s: string) => void;
    /** Writes the links' file in a worker thread of its own (a SQLite source: server/cli/transfer-files.ts). */
    linksElsewhere?: LinksElsewhere;
  },
): Promise<Imported> {
  const dir = mkdtempSync(join(tmpdir(), 'lc-neo4j-import-'));
  const env = { ...process.env, LINKCHART_NEO4J_HOME: opts.home, NEO4J_BOLT_PORT: String(opts.port) };
  const script = (verb: 'stop' | 'start') => run('bash', [SCRIPT, verb], env);
  let stopped = false;
  try {
    opts.log('stopping Neo4j for the importer, while the files are written');
    const stopping = script('stop').then((r) => {
      stopped = true;
      return r;
    });
    // A failure while writing must not leave a stop unawaited (an unhandled rejection).
    stopping.catch(() => undefined);

    let t = performance.now();
    const files = await writeAll(reader, dir, opts);
    const phases: ImportPhases = { files: since(t), stop: 0, stopWait: 0, importer: 0, start: 0 };
    const mb = (files.bytes / 2 ** 20).toFixed(0);
    opts.log(`files written in ${phases.files.toFixed(1)} s (${mb} MB of CSV)`);
    t = performance.now();
    const stop = await stopping;
    phases.stop = stop.seconds;
    phases.stopWait = since(t);
    opts.log(
      `Neo4j stopped in ${stop.seconds.toFixed(1)} s (${phases.stopWait.toFixed(1)} s of it after the files)`,
    );

    const jars = process.env.LINKCHART_NEO4J_JARS || join(REPO, '.neo4j');
    const multiline = files.multiline;
    opts.log(
      `neo4j-admin database import full neo4j --overwrite-destination` +
        (multiline.length
          ? ` (multi-line fields in ${multiline.map((f) => f.split('/').pop()).join(', ')})`
          : ''),
    );
    const imported = await run(
      'java',
      [
        // The importer's heap and its off-heap caches are bounded so the transfer with it stays under 1 GB.
        '-Xmx512m',
        '-cp',
        `${jars}/lib/*`,
        'org.neo4j.cli.AdminTool',
        'database',
        'import',
        'full',
        'neo4j',
        '--overwrite-destination=true',
        '--max-off-heap-memory=256m',
        // Multi-line reading cannot be split between threads: only the files that need it get it.
        ...(multiline.length
          ? ['--multiline-fields-format=v2', `--multiline-fields=${multiline.join(',')}`]
          : ['--multiline-fields=false']),
        `--array-delimiter=${ARRAY_DELIMITER}`,
        `--report-file=${join(dir, 'import.report')}`,
        ...files.args,
      ],
      { ...env, NEO4J_HOME: opts.home, NEO4J_CONF: join(opts.home, 'conf') },
    );
    phases.importer = imported.seconds;
    if (process.env.LINKCHART_TRANSFER_IMPORTER_LOG)
      writeFileSync(process.env.LINKCHART_TRANSFER_IMPORTER_LOG, imported.output);
    const summary = importerSummary(imported.output);
    opts.log(`imported in ${imported.seconds.toFixed(1)} s${summary ? ` (${summary})` : ''}; starting Neo4j`);
    const started = await script('start');
    stopped = false;
    phases.start = started.seconds;
    opts.log(`Neo4j started in ${started.seconds.toFixed(1)} s`);
    return {
      digest: files.digest.digest(),
      counts: files.digest.allCounts(),
      highest: files.highest,
      dataVersion: await reader.dataVersion(),
      phases,
      bytes: files.bytes,
    };
  } catch (e) {
    if (stopped) {
      opts.log('starting Neo4j again after the failure');
      await script('start').catch((x: unknown) => opts.log(`could not start Neo4j again: ${String(x)}`));
    }
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Files {
  digest: StreamDigest;
  highest: Highest;
  /** The importer's --nodes and --relationships arguments. */
  args: string[];
  /** Data files with a line break in a field. */
  multiline: string[];
  bytes: number;
}

/** What a worker that wrote the links' file hands back (a digest's tally crosses threads, the digest does not). */
export interface FilesDone {
  tally: ReturnType<StreamDigest['tally']>;
  highest: Highest;
  args: string[];
  multiline: string[];
  bytes: number;
}
export type LinksElsewhere = (dir: string) => Promise<FilesDone>;

export function filesDone(f: Files): FilesDone {
  return {
    tally: f.digest.tally(),
    highest: f.highest,
    args: f.args,
    multiline: f.multiline,
    bytes: f.bytes,
  };
}

/**
 * Every file: the links (most of the work) in a worker when the caller can run one, the rest here at the same
 * time, each side digesting what it writes; the two digests add up (the digest is a sum).
 */
async function writeAll(
  reader: DumpReader,
  dir: string,
  opts: StreamOptions & { key: AuditKey | null; route: string; linksElsewhere?: LinksElsewhere },
): Promise<Files> {
  if (!opts.linksElsewhere) return writeFiles(reader, dir, opts);
  const links = opts.linksElsewhere(dir);
  links.catch(() => undefined);
  const here = await writeFiles(reader, dir, { ...opts, parts: LOAD_ORDER.filter((p) => p !== 'links') });
  const there = await links;
  here.digest.merge(new StreamDigest(there.tally));
  for (const k of Object.keys(here.highest) as (keyof Highest)[])
    if (k !== 'auditHash') here.highest[k] = Math.max(here.highest[k], there.highest[k]);
  // Nodes before relationships does not matter to the importer; the links' file is one more argument.
  here.args.push(...there.args);
  here.multiline.push(...there.multiline);
  here.bytes += there.bytes;
  return here;
}

/** One CSV file per kind (and one for the targets' HAS_ACTION relationships), digesting as rows pass. */
export async function writeFiles(
  reader: DumpReader,
  dir: string,
  opts: StreamOptions & {
    key: AuditKey | null;
    route: string;
    /** The parts to write (all by default); links need the reports' gradings, which are read for them. */
    parts?: readonly DumpPart[];
  },
): Promise<Files> {
  const make = new Neo4jRows();
  const parts = opts.parts ?? LOAD_ORDER;
  // The file of the Meta marker and of HAS_ACTION go with the first part (the rest of the files, not the links').
  const whole = parts.includes(LOAD_ORDER[0]);
  if (parts.includes('links') && !parts.includes('reports'))
    for await (const b of reader.batches('reports', null, opts.batch)) make.rows('reports', b.rows);
  const digest = new StreamDigest();
  const highest = noHighest();
  const chain = new ChainCheck(opts.key);
  const progress = new Progress(opts.say, 'writing files', await reader.sizes(), opts.progressEveryMs);
  const out: Files = { digest, highest, args: [], multiline: [], bytes: 0 };
  const hasAction = new CsvFile(join(dir, `has-action${whole ? '' : `-${parts.join('-')}`}.csv`), {
    from: ':START_ID(Target)',
    to: ':END_ID(TargetAction)',
  });
  const done = (file: CsvFile): string | null => {
    const header = file.close();
    out.bytes += file.bytes;
    if (header && file.multiline) out.multiline.push(file.path);
    return header;
  };
  for (const part of LOAD_ORDER.filter((p) => parts.includes(p))) {
    const file = new CsvFile(join(dir, `${part}.csv`), SPECIAL[part], part === 'links' ? 'props' : undefined);
    progress.begin(part);
    for await (const b of reader.batches(part, null, opts.batch)) {
      digest.add(part, b.rows);
      seeHighest(highest, part, b.rows);
      if (part === 'audit') {
        chain.see(b.rows as AuditEvent[]);
        if (chain.brk) throw new ChainBroken(chain.brk);
      }
      const rows = make.rows(part, b.rows);
      if (part === 'entities') for (const r of rows) r.labels = `Entity${ARRAY_DELIMITER}${r.type as string}`;
      file.add(rows);
      if (part === 'targetActions') hasAction.add(rows.map((r) => ({ from: r.targetId, to: r.id })));
      progress.add(b.rows.length);
    }
    progress.end();
    const header = done(file);
    if (!header) continue;
    if (part === 'links') out.args.push(`--relationships=${header},${file.path}`);
    else if (part === 'entities') out.args.push(`--nodes=${header},${file.path}`);
    else out.args.push(`--nodes=${LABEL[part]}=${header},${file.path}`);
  }
  const ha = done(hasAction);
  if (ha) out.args.push(`--relationships=HAS_ACTION=${ha},${hasAction.path}`);
  if (!whole) return out;
  // The database carries a resume marker until the transfer has set its schema and counters and verified it
  // (setCounters drops it), so a load that stops after the importer is not taken for a finished one.
  const mark: Marker = {
    route: opts.route,
    part: LOAD_ORDER[0],
    cursor: null,
    tally: {},
    highest: noHighest(),
  };
  const meta = new CsvFile(join(dir, 'meta.csv'));
  meta.add([{ k: 'transfer', resume: JSON.stringify(mark) }]);
  out.args.push(`--nodes=Meta=${done(meta)!},${meta.path}`);
  return out;
}

// Loading an EMPTY Neo4j of our own through its offline importer (`neo4j-admin database import full`), several
// times faster than any online write: the source streams into one CSV file per kind (the same nodes and
// relationships the online load writes, from Neo4jRows), each kind's header written last into a file of its
// own once every column's type is known; then the server is stopped (cypher/server/neo4j.sh, which finds the
// jars as it does), the importer replaces the `neo4j` database (Community has no other), and the server is
// started again. The caller then applies the schema, sets the counters and verifies.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEvent } from '../../domain/model.ts';
import { verifyAuditChain, type AuditKey } from '../../security/audit-chain.ts';
import type { Row } from '../neo4j/executor.ts';
import { StreamDigest } from './digest.ts';
import { noHighest, seeHighest } from './highest.ts';
import { Neo4jRows } from './neo4j.ts';
import { LOAD_ORDER, type DumpPart } from './parts.ts';
import { ChainBroken, type StreamOptions } from './pipeline.ts';
import { Progress } from './progress.ts';
import type { DumpReader, Highest } from './stream.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(REPO, 'cypher/server/neo4j.sh');
/** Between the items of a list property: a character no id, grading or operation holds. */
const ARRAY_DELIMITER = '\u001f';

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

type ColType = 'string' | 'long' | 'double' | 'boolean' | 'string[]';

/** One CSV file: rows as they come, the header (names and types seen) written at the end. */
class CsvFile {
  private readonly fd: number;
  private cols: string[] | null = null;
  private readonly types = new Map<string, ColType>();
  rows = 0;

  constructor(
    readonly path: string,
    /** Columns that are not properties: `:ID(Entity)`-like headers by key. */
    private readonly special: Record<string, string> = {},
  ) {
    this.fd = openSync(path, 'w');
  }

  add(rows: Row[]): void {
    if (rows.length === 0) return;
    this.cols ??= Object.keys(rows[0]);
    const cols = this.cols;
    let text = '';
    for (const row of rows) {
      for (const k of Object.keys(row))
        if (!cols.includes(k)) throw new Error(`transfer: ${this.path} has no column ${k}`);
      text += cols.map((c) => this.field(c, row[c])).join(',') + '\n';
    }
    writeSync(this.fd, text);
    this.rows += rows.length;
  }

  private see(col: string, t: ColType): void {
    const was = this.types.get(col);
    if (!was || (was === 'long' && t === 'double')) this.types.set(col, t);
  }

  private field(col: string, v: unknown): string {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') {
      this.see(col, 'string');
      return `"${v.replace(/"/g, '""')}"`;
    }
    if (typeof v === 'number') {
      this.see(col, Number.isInteger(v) ? 'long' : 'double');
      return String(v);
    }
    if (typeof v === 'boolean') {
      this.see(col, 'boolean');
      return v ? 'true' : 'false';
    }
    if (Array.isArray(v)) {
      this.see(col, 'string[]');
      return `"${(v as string[]).map((x) => String(x).replace(/"/g, '""')).join(ARRAY_DELIMITER)}"`;
    }
    throw new Error(`transfer: a ${typeof v} in column ${col} of ${this.path}`);
  }

  /** Closes the data file and writes the header file beside it; null when no row was written. */
  close(): string | null {
    closeSync(this.fd);
    if (!this.cols) return null;
    const header = this.cols.map((c) => this.special[c] ?? `${c}:${this.types.get(c) ?? 'string'}`).join(',');
    const path = `${this.path}.header`;
    writeFileSync(path, `${header}\n`);
    return path;
  }
}

export interface Imported {
  digest: string;
  counts: Record<DumpPart, number>;
  highest: Highest;
  dataVersion: number;
}

/**
 * Streams the source into CSV files and runs the importer on the local server's folder. `port` is the Bolt
 * port the server listens on (cypher/server/neo4j.sh starts it there again).
 */
export async function importNeo4j(
  reader: DumpReader,
  opts: StreamOptions & { key: AuditKey | null; home: string; port: number; log: (s: string) => void },
): Promise<Imported> {
  const dir = mkdtempSync(join(tmpdir(), 'lc-neo4j-import-'));
  try {
    const make = new Neo4jRows();
    const digest = new StreamDigest();
    const highest = noHighest();
    const progress = new Progress(opts.say, 'writing files', await reader.sizes(), opts.progressEveryMs);
    let prev = highest.auditHash;
    const nodes: string[] = [];
    const rels: string[] = [];
    const hasAction = new CsvFile(join(dir, 'has-action.csv'), {
      from: ':START_ID(Target)',
      to: ':END_ID(TargetAction)',
    });
    for (const part of LOAD_ORDER) {
      const special: Record<string, string> =
        part === 'entities'
          ? { id: 'id:ID(Entity)', labels: ':LABEL' }
          : part === 'links'
            ? { from: ':START_ID(Entity)', to: ':END_ID(Entity)', type: ':TYPE' }
            : part === 'targets'
              ? { id: 'id:ID(Target)' }
              : part === 'targetActions'
                ? { id: 'id:ID(TargetAction)' }
                : {};
      const file = new CsvFile(join(dir, `${part}.csv`), special);
      progress.begin(part);
      for await (const b of reader.batches(part, null, opts.batch)) {
        digest.add(part, b.rows);
        seeHighest(highest, part, b.rows);
        if (part === 'audit') {
          const brk = verifyAuditChain(b.rows as AuditEvent[], prev, opts.key);
          if (brk) throw new ChainBroken(brk);
          prev = (b.rows[b.rows.length - 1] as AuditEvent).hash;
        }
        const rows = make.rows(part, b.rows);
        if (part === 'entities')
          file.add(rows.map((r) => ({ ...r, labels: `Entity${ARRAY_DELIMITER}${r.type as string}` })));
        else if (part === 'links')
          file.add(rows.map((r) => ({ from: r.from, to: r.to, type: r.type, ...(r.props as Row) })));
        else file.add(rows);
        if (part === 'targetActions') hasAction.add(rows.map((r) => ({ from: r.targetId, to: r.id })));
        progress.add(b.rows.length);
      }
      progress.end();
      const header = file.close();
      if (!header) continue;
      if (part === 'links') rels.push(`--relationships=${header},${file.path}`);
      else if (part === 'entities') nodes.push(`--nodes=${header},${file.path}`);
      else nodes.push(`--nodes=${LABEL[part]}=${header},${file.path}`);
    }
    const ha = hasAction.close();
    if (ha) rels.push(`--relationships=HAS_ACTION=${ha},${hasAction.path}`);
    const dataVersion = await reader.dataVersion();

    const env = { ...process.env, LINKCHART_NEO4J_HOME: opts.home, NEO4J_BOLT_PORT: String(opts.port) };
    const jars = process.env.LINKCHART_NEO4J_JARS || join(REPO, '.neo4j');
    let t = performance.now();
    opts.log('stopping Neo4j for the importer');
    execFileSync('bash', [SCRIPT, 'stop'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    opts.log('neo4j-admin database import full neo4j --overwrite-destination');
    execFileSync(
      'java',
      [
        '-Xmx1g',
        '-cp',
        `${jars}/lib/*`,
        'org.neo4j.cli.AdminTool',
        'database',
        'import',
        'full',
        'neo4j',
        '--overwrite-destination=true',
        '--multiline-fields=true',
        `--array-delimiter=${ARRAY_DELIMITER}`,
        `--report-file=${join(dir, 'import.report')}`,
        ...nodes,
        ...rels,
      ],
      {
        env: { ...env, NEO4J_HOME: opts.home, NEO4J_CONF: join(opts.home, 'conf') },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    opts.log(`imported in ${((performance.now() - t) / 1000).toFixed(1)} s; starting Neo4j`);
    t = performance.now();
    execFileSync('bash', [SCRIPT, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    opts.log(`started in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return { digest: digest.digest(), counts: digest.allCounts(), highest, dataVersion };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

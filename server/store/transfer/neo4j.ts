// Reading and writing the Neo4j store for `npm run transfer`, with the same ids, timestamps, merge snapshots and
// audit chain. The large kinds (entities, links, reports, calls, audit, import runs) are read a page at a time in
// the order of an index (keyset), each page its own short read transaction, so neither side holds a kind in
// memory; the small kinds (users, charts, targets, ...) are read whole and handed out in batches. Writes are
// batched UNWIND ... MERGE on each kind's key (constraint-backed where the schema has one), each batch with the
// resume marker in one transaction; the Meta node (data version, counters) is written last, and the CLI
// verifies the copy. Neo4j keeps every field under its dump name; how each is read and written is in fields.ts.
import { randomUUID } from 'node:crypto';
import type { IntelAssessment, SourceEvaluation } from '../../domain/model.ts';
import neo4j from 'neo4j-driver';
import { fromNeo, toNeo, type Row } from '../neo4j/executor.ts';
import { cypher } from '../neo4j/queries.ts';
import type { Neo4jStores } from '../neo4j/stores.ts';
import { eventKey } from '../neo4j/events.ts';
import { dateMs, parseProps, searchText } from '../shared/values.ts';
import type { Properties } from '../../domain/model.ts';
import { LINK_TYPES } from '../../domain/model.ts';
import type { Dump, DumpEntity, DumpLink, DumpPart, DumpSnapshot, PartRecord } from './parts.ts';
import { DUMP_PARTS, LOAD_ORDER } from './parts.ts';
import type { Batch, Cursor, DumpReader, DumpWriter, Highest, Marker } from './stream.ts';
import { noHighest, seeHighest } from './highest.ts';
import {
  ALIAS_FIELDS,
  ANNOTATION_FIELDS,
  AUDIT_FIELDS,
  CHART_FIELDS,
  DECISION_FIELDS,
  DRAFT_FIELDS,
  ENTITY_FIELDS,
  EVENT_FIELDS,
  fromNeo4j,
  IMPORT_RUN_FIELDS,
  idNum,
  LINK_FIELDS,
  MERGE_FIELDS,
  NOTICE_EVENT_FIELDS,
  NOTICE_FIELDS,
  OPERATION_FIELDS,
  OPERATION_MEMBER_FIELDS,
  PROPOSAL_FIELDS,
  REPORT_FIELDS,
  TARGET_ACTION_FIELDS,
  TARGET_FIELDS,
  toNeo4j,
  USER_FIELDS,
} from './fields.ts';

/** What each operation wrote of an entity (`opProps`, JSON), less the empty copies (see Memberships). */
function opPropsFrom(text: unknown): Record<string, Properties> {
  const all = typeof text === 'string' && text ? (JSON.parse(text) as Record<string, Properties>) : {};
  return Object.fromEntries(Object.entries(all).filter(([, p]) => Object.keys(p).length > 0));
}
const opsFrom = (x: Row): string[] => (x.ops as string[] | undefined) ?? [];
// The fields' record gets the rest set in place (a verification reads a million: one object each, no copies).
export const entityFrom = (x: Row): DumpEntity => {
  const e = fromNeo4j(ENTITY_FIELDS, x) as DumpEntity;
  e.reports = (x.reports as string[] | undefined) ?? [];
  e.imports = (x.imports as string[] | undefined) ?? [];
  e.ops = opsFrom(x);
  e.opProps = opPropsFrom(x.opProps);
  return e;
};
export const linkFrom = (x: Row): DumpLink => {
  const l = fromNeo4j(LINK_FIELDS, x) as DumpLink;
  l.reports = (x.reports as string[] | undefined) ?? [];
  l.imports = (x.imports as string[] | undefined) ?? [];
  l.ops = opsFrom(x);
  return l;
};

function snapshotFrom(text: string): DumpSnapshot {
  const s = JSON.parse(text) as {
    keep: Row;
    drop: Row & { aliases: { type: string; key: string }[] };
    links: Row[];
    annotations: string[];
  };
  return {
    keep: entityFrom(s.keep),
    drop: { ...entityFrom(s.drop), aliases: s.drop.aliases },
    links: s.links.map(linkFrom),
    annotations: s.annotations,
  };
}

/** Kinds read a page at a time by an indexed key: the query, the key's property and where it starts. */
const KEYSET: Partial<Record<DumpPart, { query: string; key: string; start: number | string }>> = {
  entities: { query: 'dump-entities', key: 'n', start: -1 },
  reports: { query: 'dump-reports', key: 'n', start: -1 },
  audit: { query: 'dump-audit', key: 'seq', start: -1 },
  importRuns: { query: 'dump-import-runs', key: 'seq', start: -1 },
  events: { query: 'dump-events', key: 'key', start: '' },
};

/** The small kinds, read whole: their query and how a row becomes a record. */
const WHOLE: Partial<Record<DumpPart, string>> = {
  aliases: 'dump-aliases',
  merges: 'dump-merges',
  annotations: 'dump-annotations',
  charts: 'dump-charts',
  users: 'dump-users',
  targets: 'dump-targets',
  targetActions: 'dump-target-actions',
  drafts: 'dump-drafts',
  duplicateProposals: 'dump-duplicate-proposals',
  duplicateDecisions: 'dump-duplicate-decisions',
  operations: 'dump-operations',
  operationMembers: 'dump-operation-members',
  deconflictionNotices: 'dump-deconfliction-notices',
  deconflictionEvents: 'dump-deconfliction-events',
};

/** A Neo4j row of a part as its dump record. */
function recordOf(part: DumpPart, x: Row): unknown {
  switch (part) {
    case 'reports':
      return fromNeo4j(REPORT_FIELDS, x);
    case 'entities':
      return entityFrom(x);
    case 'aliases':
      return fromNeo4j(ALIAS_FIELDS, x);
    case 'links':
      return linkFrom(x);
    case 'merges':
      return { ...fromNeo4j(MERGE_FIELDS, x), snapshot: snapshotFrom(x.snapshot as string) };
    case 'annotations':
      return fromNeo4j(ANNOTATION_FIELDS, x);
    case 'charts':
      return fromNeo4j(CHART_FIELDS, x);
    case 'users':
      return fromNeo4j(USER_FIELDS, x);
    case 'audit':
      return fromNeo4j(AUDIT_FIELDS, x);
    case 'importRuns':
      return fromNeo4j(IMPORT_RUN_FIELDS, x);
    case 'targets':
      return fromNeo4j(TARGET_FIELDS, x);
    case 'targetActions':
      return fromNeo4j(TARGET_ACTION_FIELDS, x);
    case 'drafts':
      return fromNeo4j(DRAFT_FIELDS, x);
    case 'events':
      return fromNeo4j(EVENT_FIELDS, x);
    case 'duplicateProposals':
      return fromNeo4j(PROPOSAL_FIELDS, x);
    case 'duplicateDecisions':
      return { ...fromNeo4j(DECISION_FIELDS, x), step: x.seq as number };
    case 'operations':
      return fromNeo4j(OPERATION_FIELDS, x);
    case 'operationMembers':
      return fromNeo4j(OPERATION_MEMBER_FIELDS, x);
    case 'deconflictionNotices':
      return fromNeo4j(NOTICE_FIELDS, x);
    case 'deconflictionEvents':
      return { ...fromNeo4j(NOTICE_EVENT_FIELDS, x), step: x.i as number };
  }
}

export class Neo4jReader implements DumpReader {
  constructor(
    private readonly stores: Neo4jStores,
    readonly name: string,
  ) {}

  async dataVersion(): Promise<number> {
    const meta = await this.stores.exec.read((tx) => tx.one('dump-meta'));
    return ((meta?.x as Row | undefined)?.dataVersion as number | undefined) ?? 0;
  }

  async sizes(): Promise<Record<DumpPart, number>> {
    const x = (await this.stores.exec.read((tx) => tx.one('transfer-sizes')))?.x as Record<string, number>;
    return Object.fromEntries(DUMP_PARTS.map((p) => [p, x[p] ?? 0])) as Record<DumpPart, number>;
  }

  /** Whether the database holds nothing of its own (a new store's GENERAL operation aside). */
  async isEmpty(): Promise<boolean> {
    const x = (await this.stores.exec.read((tx) => tx.one('transfer-sizes')))?.x as Record<string, number>;
    return DUMP_PARTS.every((p) => (p === 'operations' ? x.ownOperations === 0 : (x[p] ?? 0) === 0));
  }

  /**
   * The large kinds in the order of their index, from `after` on: one query per kind (per link type) whose rows
   * stream in, each batch with the key of its last record as the cursor a resumed transfer starts after.
   */
  async *batches<P extends DumpPart>(part: P, after: Cursor, size: number): AsyncIterable<Batch<P>> {
    const ks = KEYSET[part];
    if (ks) {
      const at = (after?.[0] as number | string | undefined) ?? ks.start;
      for await (const rows of streamRows(this.stores, cypher(ks.query), { after: at, take: ALL }, size)) {
        const last = rows[rows.length - 1][ks.key] as number | string;
        yield { rows: rows.map((x) => recordOf(part, x)) as PartRecord<P>[], cursor: [last] };
      }
      return;
    }
    if (part === 'links') {
      // Type by type (in LINK_TYPES order), each type's links by number.
      let t = (after?.[0] as number | undefined) ?? 0;
      let at = (after?.[1] as number | undefined) ?? -1;
      for (; t < LINK_TYPES.length; t++, at = -1) {
        const query = cypher(`dump-links-${LINK_TYPES[t].toLowerCase().replace(/_/g, '-')}`);
        for await (const rows of streamRows(this.stores, query, { after: at, take: ALL }, size)) {
          const last = rows[rows.length - 1].n as number;
          yield { rows: rows.map((x) => recordOf(part, x)) as PartRecord<P>[], cursor: [t, last] };
        }
      }
      return;
    }
    const all = (await this.stores.exec.read((tx) => tx.run(WHOLE[part]!))).map((r) => r.x as Row);
    for (let i = (after?.[0] as number | undefined) ?? 0; i < all.length; i += size) {
      const rows = all.slice(i, i + size);
      yield { rows: rows.map((x) => recordOf(part, x)) as PartRecord<P>[], cursor: [i + rows.length] };
    }
  }
}

/**
 * The fields of a link and of an entity, in the order scan-links.cypher and scan-entities.cypher return them
 * as lists (a million rows decode far faster as lists than as maps, whose keys are decoded on every row).
 */
const LINK_SCAN_COLUMNS = [
  'id',
  'type',
  'from',
  'to',
  'directed',
  'weight',
  'firstSeen',
  'lastSeen',
  'props',
  'createdAt',
  'updatedAt',
  'reports',
  'imports',
  'ops',
] as const;
const ENTITY_SCAN_COLUMNS = [
  'id',
  'type',
  'key',
  'label',
  'props',
  'reviewDate',
  'createdAt',
  'updatedAt',
  'reports',
  'imports',
  'ops',
  'opProps',
] as const;

/** Records handed on at a time by a streamed read. */
const STREAM_BATCH = 2_000;

/**
 * The parts a verification reads in streams of their own, in no order (scanSlices): the large kinds, each split
 * over `of` reads by their numbers; what is not here is read in order (batches), the audit always (its chain).
 */
const SCANS: Partial<Record<DumpPart, { query: string; of: number; columns?: readonly string[] }>> = {
  entities: { query: 'scan-entities', of: 2, columns: ENTITY_SCAN_COLUMNS },
  reports: { query: 'scan-reports', of: 1 },
  events: { query: 'scan-events', of: 2 },
  importRuns: { query: 'scan-import-runs', of: 1 },
};
/** Link types with more links than this (by the count store) are read in two streams. */
const SPLIT_LINKS_FROM = 200_000;

/** One streamed read of part of a kind: its records in batches, in no order. */
export interface Slice {
  part: DumpPart;
  name: string;
  read(): AsyncIterable<unknown[]>;
}

/**
 * A query's rows (`x`) as they stream in, `batch` at a time, in one read transaction: the driver fetches ahead
 * only a batch or two, so memory stays flat however many rows the query returns.
 */
async function* streamRows(
  stores: Neo4jStores,
  text: string,
  params: Row,
  batch = STREAM_BATCH,
  columns?: readonly string[],
): AsyncIterable<Row[]> {
  const exec = stores.exec;
  const session = exec.driver.session({
    database: exec.opts.database,
    defaultAccessMode: neo4j.session.READ,
    bookmarkManager: exec.bookmarks,
    fetchSize: batch,
  });
  try {
    let rows: Row[] = [];
    for await (const r of session.run(text, toNeo(params) as Row)) {
      // fromNeo leaves numbers as they are, so it is cheap on a driver that already returns numbers.
      rows.push(columns ? fromColumns(columns, r.get('x') as unknown[]) : (fromNeo(r.get('x')) as Row));
      if (rows.length >= batch) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length > 0) yield rows;
  } finally {
    await session.close();
  }
}

/** A row returned as a list (a scan's `columns` order) as the map recordOf reads; lists of ids stay as sent. */
function fromColumns(columns: readonly string[], values: unknown[]): Row {
  if (values.length !== columns.length)
    throw new Error(`a scan returned ${values.length} fields where ${columns.length} were expected`);
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) {
    const v = values[i];
    row[columns[i]] = Array.isArray(v) ? v : fromNeo(v);
  }
  return row;
}

/** Past any number of records: a keyset query with this LIMIT streams the rest of its kind in index order. */
const ALL = 2 ** 50;

export class Neo4jScanner {
  constructor(private readonly stores: Neo4jStores) {}

  /**
   * The streamed reads that together hold every record of `part` once (none for the parts read in order). No
   * index is used (the importer's copy is read after its schema is built: side by side the two fought over the
   * page cache).
   */
  async slices(part: DumpPart): Promise<Slice[]> {
    const spread = (name: string, text: string, of: number, columns?: readonly string[]): Slice[] =>
      Array.from({ length: of }, (_, k) => ({
        part,
        name: of > 1 ? `${name} ${k + 1}/${of}` : name,
        read: () => this.records(part, text, { k, of }, columns),
      }));
    const scan = SCANS[part];
    if (scan) return spread(part, cypher(scan.query), scan.of, scan.columns);
    if (part !== 'links') return [];
    const counts = await this.stores.exec.read((tx) => tx.run('count-links-by-type'));
    return LINK_TYPES.flatMap((t) => {
      const c = (counts.find((r) => r.t === t)?.c as number | undefined) ?? 0;
      if (c === 0) return [];
      return spread(
        `links ${t}`,
        cypher('scan-links').replaceAll('LINK_TYPE', t),
        c > SPLIT_LINKS_FROM ? 2 : 1,
        LINK_SCAN_COLUMNS,
      );
    });
  }

  private async *records(
    part: DumpPart,
    text: string,
    params: Row,
    columns?: readonly string[],
  ): AsyncIterable<unknown[]> {
    for await (const rows of streamRows(this.stores, text, params, STREAM_BATCH, columns))
      yield rows.map((x) => recordOf(part, x));
  }
}

/** Everything the store holds, in memory (for small stores and tests; the transfer streams instead). */
export async function dumpNeo4j(stores: Neo4jStores): Promise<Dump> {
  await stores.init();
  const reader = new Neo4jReader(stores, 'neo4j');
  const out = { dataVersion: await reader.dataVersion() } as Dump;
  for (const p of DUMP_PARTS) {
    const all: unknown[] = [];
    for await (const b of reader.batches(p, null, 5_000)) for (const x of b.rows) all.push(x);
    (out as unknown as Record<string, unknown[]>)[p] = all;
  }
  return out;
}

/** A record's own fields but the named ones, in their order. */
function copyExcept(x: object, ...skip: string[]): Row {
  const out: Row = {};
  for (const k in x) if (!skip.includes(k)) out[k] = (x as Row)[k];
  return out;
}

/** A snapshot row as the store keeps it: no memberships at all (not null ones) when it has none. */
function bare(row: Row): Row {
  const { ops, opProps, ...rest } = row;
  return ops === null ? rest : { ...rest, ops, ...(opProps === undefined ? {} : { opProps }) };
}

/**
 * Each part's records as Neo4j nodes and relationships (what both the online load and the offline importer
 * write), with what the store derives: search text, link grades, dates in milliseconds, event identities.
 */
export class Neo4jRows {
  /** Each report's grading ('1A'), for the grades of the links that rest on it. */
  readonly grade = new Map<string, string>();

  // Both copy a record's fields by a loop, not by `{ a, ...rest }`: V8 copies with excluded keys on a slow path,
  // and these run once per entity and per link (a million links on an import).
  entityNode = (x: DumpEntity): Row => {
    // A merge snapshot from before operations keeps no memberships: the store's unmerge then leaves them be.
    const out = copyExcept(x, 'ops', 'opProps');
    const has = x.ops.length > 0;
    // Null (no property) when it has none; always a key, so every row of a kind has the same keys.
    out.ops = has ? x.ops : null;
    out.opProps = has ? JSON.stringify(x.opProps) : null;
    out.n = idNum(x.id);
    out.search = searchText(parseProps(x.props), x.label);
    return out;
  };

  linkRel = (x: DumpLink): Row => {
    const out = copyExcept(x, 'from', 'to', 'type', 'ops');
    out.ops = x.ops.length > 0 ? x.ops : null;
    out.n = idNum(x.id);
    out.firstMs = x.firstSeen ? dateMs(x.firstSeen) : null;
    out.lastMs = x.lastSeen ? dateMs(x.lastSeen, true) : null;
    const grades: string[] = [];
    for (const r of x.reports) {
      const g = this.grade.get(r);
      if (g !== undefined && !grades.includes(g)) grades.push(g);
    }
    out.grades = grades;
    return out;
  };

  /** A part's rows as the load query of that part takes them. */
  rows(part: DumpPart, records: readonly unknown[]): Row[] {
    const d = records as never[];
    switch (part) {
      case 'operations':
        return (d as Dump['operations']).map((o) => ({ ...toNeo4j(OPERATION_FIELDS, o), n: idNum(o.id) }));
      case 'operationMembers':
        return (d as Dump['operationMembers']).map((m) => toNeo4j(OPERATION_MEMBER_FIELDS, m));
      case 'reports':
        return (d as Dump['reports']).map((r) => {
          const grade = `${r.source as SourceEvaluation}${r.intel as IntelAssessment}`;
          this.grade.set(r.id, grade);
          return { ...toNeo4j(REPORT_FIELDS, r), n: idNum(r.id), grade };
        });
      case 'entities':
        return (d as Dump['entities']).map(this.entityNode);
      case 'links':
        return (d as Dump['links']).map((x) => ({
          from: x.from,
          to: x.to,
          type: x.type,
          props: this.linkRel(x),
        }));
      case 'aliases':
        return (d as Dump['aliases']).map((a) => toNeo4j(ALIAS_FIELDS, a));
      case 'merges':
        return (d as Dump['merges']).map((m) => ({
          ...toNeo4j(MERGE_FIELDS, m),
          n: Number(m.id),
          snapshot: JSON.stringify({
            keep: bare(this.entityNode(m.snapshot.keep)),
            drop: { ...bare(this.entityNode(m.snapshot.drop)), aliases: m.snapshot.drop.aliases },
            links: m.snapshot.links.map((x) => ({
              ...bare(this.linkRel(x)),
              from: x.from,
              to: x.to,
              type: x.type,
            })),
            annotations: m.snapshot.annotations,
          }),
        }));
      case 'annotations':
        return (d as Dump['annotations']).map((a) => ({ ...toNeo4j(ANNOTATION_FIELDS, a), n: Number(a.id) }));
      case 'charts':
        return (d as Dump['charts']).map((c) => ({ ...toNeo4j(CHART_FIELDS, c), n: Number(c.id) }));
      case 'users':
        return (d as Dump['users']).map((u) => ({ ...toNeo4j(USER_FIELDS, u), n: Number(u.id) }));
      case 'audit':
        return (d as Dump['audit']).map((a) => toNeo4j(AUDIT_FIELDS, { ...a, operations: a.operations }));
      case 'importRuns':
        return (d as Dump['importRuns']).map((r) => toNeo4j(IMPORT_RUN_FIELDS, r));
      case 'targets':
        return (d as Dump['targets']).map((t) => ({ ...toNeo4j(TARGET_FIELDS, t), n: idNum(t.id) }));
      case 'targetActions':
        return (d as Dump['targetActions']).map((a) => ({
          ...toNeo4j(TARGET_ACTION_FIELDS, a),
          n: idNum(a.id),
        }));
      case 'drafts':
        return (d as Dump['drafts']).map((x) => toNeo4j(DRAFT_FIELDS, x));
      case 'events':
        // The identity the store finds a call again by (neo4j/events.ts writeEvents).
        return (d as Dump['events']).map((e) => ({ ...toNeo4j(EVENT_FIELDS, e), key: eventKey(e) }));
      case 'duplicateProposals':
        return (d as Dump['duplicateProposals']).map((p) => ({
          ...toNeo4j(PROPOSAL_FIELDS, p),
          aId: `e${p.an}`,
          bId: `e${p.bn}`,
        }));
      case 'duplicateDecisions':
        return (d as Dump['duplicateDecisions']).map((x) => ({
          ...toNeo4j(DECISION_FIELDS, x),
          seq: x.step,
        }));
      case 'deconflictionNotices':
        // `steps` (how many its log holds) is counted once the logs are in (load-notice-steps).
        return (d as Dump['deconflictionNotices']).map((x) => ({
          ...toNeo4j(NOTICE_FIELDS, x),
          n: idNum(x.id),
        }));
      case 'deconflictionEvents':
        return (d as Dump['deconflictionEvents']).map((x) => ({
          ...toNeo4j(NOTICE_EVENT_FIELDS, x),
          i: x.step,
        }));
    }
  }
}

const LOAD_QUERY: Record<DumpPart, string> = {
  operations: 'load-operations',
  operationMembers: 'load-operation-members',
  reports: 'load-reports',
  entities: 'load-entities',
  links: 'load-links',
  aliases: 'load-aliases',
  merges: 'load-merges',
  annotations: 'load-annotations',
  charts: 'load-charts',
  users: 'load-users',
  audit: 'load-audits',
  importRuns: 'load-import-runs',
  targets: 'load-targets',
  targetActions: 'load-target-actions',
  drafts: 'load-drafts',
  events: 'load-events',
  duplicateProposals: 'load-duplicate-proposals',
  duplicateDecisions: 'load-duplicate-decisions',
  deconflictionNotices: 'load-deconfliction-notices',
  deconflictionEvents: 'load-deconfliction-events',
};

/** The Meta node and the counters after a load: where the store numbers new records from. */
export async function setCounters(stores: Neo4jStores, dataVersion: number, h: Highest): Promise<void> {
  await stores.exec.write(async (tx) => {
    await tx.run('load-notice-steps');
    await tx.run('seq-set', { name: 'deconfliction', v: h.deconfliction });
    // The cycle store numbers targets and actions from these counters (cypher/queries/target-next-n.cypher).
    await tx.run('seq-set', { name: 'target', v: h.target });
    await tx.run('seq-set', { name: 'target_action', v: h.targetAction });
  });
  await stores.exec.write(async (tx) => {
    await tx.run('meta-lock');
    await tx.run('meta-save', {
      m: {
        dataVersion,
        entity: h.entity,
        link: h.link,
        report: h.report,
        merge: h.merge,
        annotation: h.annotation,
        chart: h.chart,
        user: h.user,
        audit: h.audit,
        // The events' counter (neo4j/events.ts numbers new calls after it).
        event: h.event,
        operation: h.operation,
        auditHash: h.auditHash,
        // Other data now: a Linkchart server still running on this store drops what it remembered of the
        // data before (context.ts seeEpoch), whose versions and ids the source's may repeat.
        epoch: randomUUID(),
      },
    });
    await tx.run('transfer-mark-drop');
  });
}

/** Writes batches into Neo4j online: UNWIND ... MERGE per batch, with the resume marker in the same transaction. */
export class Neo4jWriter implements DumpWriter {
  private readonly make = new Neo4jRows();

  constructor(
    private readonly stores: Neo4jStores,
    readonly name: string,
  ) {}

  async marker(): Promise<Marker | null> {
    const v = (await this.stores.exec.read((tx) => tx.one('transfer-mark-get')))?.v;
    return typeof v === 'string' ? (JSON.parse(v) as Marker) : null;
  }

  async start(): Promise<void> {
    await this.stores.init();
    // A resumed load needs the grading of reports already written, for the links still to come.
    for await (const b of new Neo4jReader(this.stores, this.name).batches('reports', null, 10_000))
      for (const r of b.rows) this.make.grade.set(r.id, `${r.source}${r.intel}`);
  }

  async write<P extends DumpPart>(part: P, records: PartRecord<P>[], mark: Marker | null): Promise<void> {
    const rows = this.make.rows(part, records);
    await this.stores.exec.write(async (tx) => {
      if (rows.length > 0) await tx.run(LOAD_QUERY[part], { rows });
      if (mark) await tx.run('transfer-mark-set', { v: JSON.stringify(mark) });
    });
  }

  async finish(dataVersion: number, highest: Highest): Promise<void> {
    await setCounters(this.stores, dataVersion, highest);
  }
}

/** Writes a dump held in memory into an empty Neo4j store. */
export async function loadNeo4j(stores: Neo4jStores, d: Dump): Promise<void> {
  const w = new Neo4jWriter(stores, 'neo4j');
  await w.start();
  const h = noHighest();
  for (const p of LOAD_ORDER) {
    const rows = d[p] as never[];
    seeHighest(h, p, rows);
    for (let i = 0; i < rows.length; i += 5_000) await w.write(p, rows.slice(i, i + 5_000), null);
  }
  await w.finish(d.dataVersion, h);
}

/** Deletes every node and relationship (the schema stays), in slices. */
export async function wipeNeo4j(stores: Neo4jStores): Promise<void> {
  await stores.init();
  for (;;) {
    const r = await stores.exec.write((tx) => tx.one('wipe-slice'));
    if (((r?.c as number | undefined) ?? 0) === 0) break;
  }
}

// GraphStore on Neo4j 5 (neo4j-driver). Same semantics as the SQLite store (the contract suite runs on both):
// the same validation, natural keys, merge rules, data version and audit chain. All Cypher lives in cypher/
// (named queries) and runs through executor.ts.
//
// Model: (:Entity:<Type>) nodes with the entity's fields, properties as a JSON string (`props`) and a `search`
// text for the full-text index; one relationship per link, typed by the link type (what analysts expect to
// see in Bloom), carrying its fields, the ids of its reports and the codes of their gradings ('1A', '2C').
// A (:Meta {k: 'state'}) node holds the data version and the id counters; every write transaction locks it
// first, so writers queue there and check-then-create (links have no database-level key) stays race-free.
import neo4j, { type Driver } from 'neo4j-driver';
import type {
  Annotation,
  AnnotationInput,
  AuditEvent,
  ImportRun,
  AuditInput,
  Chart,
  ChartInput,
  Entity,
  EntityDetail,
  EntityType,
  Grading,
  IntelAssessment,
  Link,
  LinkDetail,
  LinkType,
  MinGrading,
  PathResult,
  Properties,
  Report,
  Role,
  SourceEvaluation,
  Subgraph,
  User,
  ViewFilter,
  WriteContext,
} from '../../domain/model.ts';
import {
  ENTITY_TYPES,
  LINK_RULES,
  LINK_TYPES,
  annotationInputSchema,
  chartInputSchema,
  entityInputSchema,
  linkInputSchema,
  reportInputSchema,
} from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { normaliseName, normalisePhone } from '../../domain/normalise.ts';
import { bestGrading, intelRank } from '../../domain/grading.ts';
import { chainAudit, GENESIS_HASH } from '../../security/audit-chain.ts';
import type {
  AuditQuery,
  EntityPatch,
  GraphStore,
  LinkPatch,
  ListOptions,
  MergeRecord,
  NeighbourhoodOptions,
  Page,
  PathOptions,
  SearchHit,
  StoreCounts,
  UpsertCounts,
  WriteBatch,
  WriteResult,
} from '../graph-store.ts';
import { StoreError } from '../graph-store.ts';
import { checkFilter, filtersLinks } from '../sqlite/filters.ts';
import { ftsTokens } from '../sqlite/fts.ts';
import { dateMs, parseId, parsePlainId, searchText } from '../sqlite/rows.ts';
import {
  auditInputSchema,
  entityPatchSchema,
  invalid,
  linkPatchSchema,
  listOptionsSchema,
  parseOr,
  userInputSchema,
} from '../sqlite/validate.ts';
import { Executor, type Row, type Tx } from './executor.ts';
import { Neo4jTargets } from './targets.ts';
import type { Target, TargetActionInput, TargetQuery, TargetRecord } from '../../domain/target.ts';
import { schemaStatements } from './queries.ts';
import { defaultReviewDate } from '../../security/retention.ts';
import { z } from 'zod';

const DEFAULT_PAGE = 50;
const DEFAULT_NEIGHBOURHOOD_LIMIT = 2000;

const counts0 = (): UpsertCounts => ({ created: 0, updated: 0, unchanged: 0 });
const nfcKey = (k: string): string => k.normalize('NFC').trim();
const kk = (type: string, key: string): string => `${type}\u0000${key}`;
/** Numeric part of a public id ('e12' -> 12): undirected links keep their ends in this order, as in SQLite. */
const num = (id: string): number => Number(id.slice(1));
const userDisabled = z.boolean().optional();

export interface Neo4jStoreOptions {
  uri: string;
  user?: string;
  password?: string;
  database?: string;
  /** Reuse a driver (tests); otherwise the store makes and closes its own. */
  driver?: Driver;
}

// --- stored shapes ---------------------------------------------------------------------------------

interface EntityNode {
  id: string;
  n: number;
  type: EntityType;
  key: string;
  label: string;
  props: string;
  search: string;
  reviewDate?: string | null;
  createdAt: string;
  updatedAt: string;
  reports: string[];
  imports: string[];
}

interface LinkRel {
  id: string;
  n: number;
  type: LinkType;
  from: string;
  to: string;
  directed: boolean;
  weight: number;
  firstSeen?: string | null;
  lastSeen?: string | null;
  firstMs?: number | null;
  lastMs?: number | null;
  props: string;
  grades: string[];
  reports: string[];
  imports: string[];
  createdAt: string;
  updatedAt: string;
}

interface ReportNode {
  id: string;
  n: number;
  ref: string;
  date: string;
  author: string;
  text: string;
  source: number;
  intel: string;
  handling: string;
  conditions?: string | null;
  reviewDate?: string | null;
  grade: string;
  createdAt: string;
}

interface Meta {
  k: string;
  dataVersion: number;
  entity: number;
  link: number;
  report: number;
  merge: number;
  annotation: number;
  chart: number;
  user: number;
  audit: number;
  auditHash: string;
}

interface MergeSnapshot {
  keep: EntityNode;
  drop: EntityNode & { aliases: { type: string; key: string }[] };
  links: LinkRel[];
  annotations: string[];
}

// --- mapping -----------------------------------------------------------------------------------------

const parseProps = (s: string | undefined): Properties =>
  !s || s === '{}' ? {} : (JSON.parse(s) as Properties);

export function toEntity(r: EntityNode): Entity {
  return {
    id: r.id,
    type: r.type,
    label: r.label,
    key: r.key,
    properties: parseProps(r.props),
    reviewDate: r.reviewDate ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const gradeCode = (source: number, intel: string): string => `${source}${intel}`;

function gradingOf(codes: readonly string[] | undefined): Grading | null {
  let best: Grading | null = null;
  for (const c of codes ?? []) {
    best = bestGrading(best, { source: Number(c[0]) as SourceEvaluation, intel: c[1] as IntelAssessment });
  }
  return best;
}

/** Grading codes at least as good as `min`: a link passes if it carries any of them. */
export function allowedCodes(min: MinGrading): string[] {
  const out: string[] = [];
  for (let s = 1; s <= min.source; s++) {
    for (let i = 0; i <= intelRank(min.intel); i++) out.push(gradeCode(s, 'ABCDE'[i]));
  }
  return out;
}

export function toLink(r: LinkRel): Link {
  return {
    id: r.id,
    type: r.type,
    from: r.from,
    to: r.to,
    directed: r.directed,
    weight: r.weight,
    firstSeen: r.firstSeen ?? null,
    lastSeen: r.lastSeen ?? null,
    properties: parseProps(r.props),
    grading: gradingOf(r.grades),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toReport(r: ReportNode): Report {
  return {
    id: r.id,
    ref: r.ref,
    date: r.date,
    author: r.author,
    text: r.text,
    source: r.source as SourceEvaluation,
    intel: r.intel as IntelAssessment,
    handling: r.handling as Report['handling'],
    conditions: r.conditions ?? null,
    reviewDate: r.reviewDate ?? null,
    createdAt: r.createdAt,
  };
}

/** Link fields as stored on the relationship (the ends and type are the relationship itself). */
function relProps(l: LinkRel): Row {
  const { from: _f, to: _t, type: _ty, ...rest } = l;
  return rest as unknown as Row;
}

/** Parameters of a view filter for the queries that filter links (see cypher/queries/neighbours.cypher). */
export function filterParams(f: ViewFilter): Row {
  const windowed = Boolean(f.from || f.to);
  return {
    linkTypes: f.linkTypes ?? null,
    windowed,
    fromMs: f.from ? dateMs(f.from) : null,
    toMs: f.to ? dateMs(f.to, true) : null,
    grades: f.minGrading ? allowedCodes(f.minGrading) : null,
  };
}

/**
 * User text as a Lucene query that can only ever mean "these words": the text is cut into letter/digit
 * tokens (the same as the SQLite store), each required, quoted (so AND, OR, NOT are words), and the last
 * one a lower-cased prefix. Tokens hold no Lucene syntax, and anything special is escaped regardless.
 */
export function luceneQuery(query: string): string | null {
  const tokens = ftsTokens(query);
  if (tokens.length === 0) return null;
  const esc = (t: string) => t.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, '\\$&');
  const parts = tokens.map((t, i) =>
    i === tokens.length - 1 ? `+("${esc(t)}" OR ${esc(t.toLowerCase())}*)` : `+"${esc(t)}"`,
  );
  let q = parts.join(' ');
  const digits = query.replace(/[\s()-]/g, '');
  if (/^\+?\d{6,}$/.test(digits)) {
    const e164 = normalisePhone(digits);
    if (e164) q = `(${q}) OR "${e164.slice(1)}"`;
  }
  return q;
}

/**
 * Adds the reports and the import a fact rests on. Returns the fact's new status: an unchanged fact that gained
 * provenance is updated (and stamped); a created or updated one stays as it is.
 */
function joinProvenance(
  fact: { reports: string[]; imports: string[]; updatedAt: string },
  reports: readonly { id: string }[],
  importId: string | null,
  now: string,
  status: keyof UpsertCounts,
): { joined: boolean; status: keyof UpsertCounts } {
  let joined = false;
  for (const r of reports)
    if (!fact.reports.includes(r.id)) {
      fact.reports = [...fact.reports, r.id];
      joined = true;
    }
  if (importId !== null && !fact.imports.includes(importId)) {
    fact.imports = [...fact.imports, importId];
    joined = true;
  }
  if (joined && status === 'unchanged') {
    fact.updatedAt = now;
    return { joined, status: 'updated' };
  }
  return { joined, status };
}

/** Date fields of a link, with a date alone covering its whole day. */
function seen(first: string | null | undefined, last: string | null | undefined) {
  return {
    firstSeen: first ?? null,
    lastSeen: last ?? null,
    firstMs: first ? dateMs(first) : null,
    lastMs: last ? dateMs(last, true) : null,
  };
}

/** Counters and data version, read under the Meta lock and written back at the end of the transaction. */
class State {
  dirty = false;
  constructor(readonly meta: Meta) {}
  next(kind: 'entity' | 'link' | 'report' | 'merge' | 'annotation' | 'chart' | 'user' | 'audit'): number {
    this.meta[kind] = (this.meta[kind] ?? 0) + 1;
    this.dirty = true;
    return this.meta[kind];
  }
  bump(): number {
    this.meta.dataVersion += 1;
    this.dirty = true;
    return this.meta.dataVersion;
  }
}

export class Neo4jGraphStore implements GraphStore {
  readonly kind = 'neo4j' as const;
  readonly exec: Executor;
  private readonly ownDriver: boolean;
  /** Schema applied once per process; a failure (Neo4j down) is retried on the next call. */
  private ready: Promise<void> | null = null;
  private readonly targets: Neo4jTargets;

  constructor(readonly opts: Neo4jStoreOptions) {
    const driver =
      opts.driver ??
      neo4j.driver(opts.uri, neo4j.auth.basic(opts.user ?? 'neo4j', opts.password ?? ''), {
        // Fail fast while the server is down (the API answers 503) and pick up again once it is back.
        connectionTimeout: 5_000,
        connectionAcquisitionTimeout: 10_000,
        maxTransactionRetryTime: 10_000,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's logger type is not exported
        logging: { level: 'error', logger: (() => undefined) as any },
      });
    this.ownDriver = !opts.driver;
    this.exec = new Executor(driver, { database: opts.database, where: redactUri(opts.uri) });
    this.targets = new Neo4jTargets(this.exec, () => this.ensureReady());
  }

  // ------------------------------------------------------------------------------------------------
  // Life cycle

  async init(): Promise<void> {
    await this.ensureReady();
    await this.targets.init();
  }

  // Targets: (:Target) and (:TargetAction) nodes (./targets.ts).
  async saveTarget(t: TargetRecord, ctx: WriteContext, opts?: { expectedVersion?: number }): Promise<Target> {
    return this.targets.save(t, ctx, opts);
  }
  async getTarget(id: string): Promise<Target | null> {
    return this.targets.get(id);
  }
  async listTargets(q?: TargetQuery): Promise<Page<Target>> {
    return this.targets.list(q);
  }
  async appendTargetAction(id: string, a: TargetActionInput, ctx: WriteContext): Promise<Target> {
    return this.targets.appendAction(id, a, ctx);
  }

  private ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      for (const s of schemaStatements()) await this.exec.autoCommit(s);
      await this.exec.write((tx) => tx.run('meta-init'));
    })().catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async close(): Promise<void> {
    if (this.ownDriver) await this.exec.driver.close();
  }

  private async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    await this.ensureReady();
    return this.exec.read(work);
  }

  /** A write transaction holding the Meta lock; counters and data version are saved at its end. */
  private async write<T>(work: (tx: Tx, st: State) => Promise<T>): Promise<T> {
    await this.ensureReady();
    return this.exec.write(async (tx) => {
      const m = (await tx.one('meta-lock'))!.m as Meta;
      const st = new State({ ...m });
      const out = await work(tx, st);
      if (st.dirty) await tx.run('meta-save', { m: st.meta });
      return out;
    });
  }

  async dataVersion(): Promise<number> {
    return this.read(async (tx) => ((await tx.one('data-version'))?.v as number) ?? 0);
  }

  async counts(): Promise<StoreCounts> {
    return this.read(async (tx) => {
      const entitiesByType: StoreCounts['entitiesByType'] = {};
      for (const r of await tx.run('count-entities-by-type'))
        entitiesByType[r.t as EntityType] = r.c as number;
      const linksByType: StoreCounts['linksByType'] = {};
      for (const r of await tx.run('count-links-by-type', { types: [...LINK_TYPES] }))
        if ((r.c as number) > 0) linksByType[r.t as LinkType] = r.c as number;
      const o = (await tx.one('count-others'))!;
      return {
        entities: Object.values(entitiesByType).reduce((a, b) => a + b, 0),
        links: Object.values(linksByType).reduce((a, b) => a + b, 0),
        reports: o.reports as number,
        annotations: o.annotations as number,
        charts: o.charts as number,
        audit: o.audit as number,
        entitiesByType,
        linksByType,
      };
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Writes

  async writeBatch(batch: WriteBatch, ctx: WriteContext): Promise<WriteResult> {
    const reports = (batch.reports ?? []).map((r, i) => parseOr(reportInputSchema, r, ['reports', i]));
    const entities = (batch.entities ?? []).map((e, i) => parseOr(entityInputSchema, e, ['entities', i]));
    const links = (batch.links ?? []).map((l, i) => parseOr(linkInputSchema, l, ['links', i]));
    const importId = ctx.importId ?? null;
    return this.write(async (tx, st) => {
      const now = new Date().toISOString();
      let changed = false;
      const res: WriteResult = {
        reports: counts0(),
        entities: counts0(),
        links: counts0(),
        entityIds: [],
        linkIds: [],
        reportIds: [],
        dataVersion: 0,
      };

      // --- reports: immutable once written; the same ref with other content is a conflict.
      const wanted = new Set<string>(reports.map((r) => r.ref));
      for (const e of entities) for (const r of e.reports) wanted.add(r);
      for (const l of links) for (const r of l.reports) wanted.add(r);
      const known = new Map<string, ReportNode>();
      if (wanted.size) {
        for (const r of await tx.run('reports-by-ref', { refs: [...wanted] }))
          known.set((r.r as ReportNode).ref, r.r as ReportNode);
      }
      const newReports: ReportNode[] = [];
      reports.forEach((r, i) => {
        const conditions = r.conditions ?? null;
        const ex = known.get(r.ref);
        if (ex) {
          const same =
            ex.date === r.date &&
            ex.author === r.author &&
            ex.text === r.text &&
            ex.source === r.source &&
            ex.intel === r.intel &&
            ex.handling === r.handling &&
            (ex.conditions ?? null) === conditions &&
            // Not part of the report's identity (as in the SQLite store): absent means "as recorded".
            (r.reviewDate === undefined || (ex.reviewDate ?? null) === r.reviewDate);
          if (!same) {
            throw new StoreError(
              'conflict',
              `reports[${i}]: report ${r.ref} already exists with different content; reports cannot be changed once recorded`,
              ['reports', i, 'ref'],
            );
          }
          res.reports.unchanged++;
          res.reportIds.push(ex.id);
          return;
        }
        const n = st.next('report');
        const node: ReportNode = {
          id: `r${n}`,
          n,
          ref: r.ref,
          date: r.date,
          author: r.author,
          text: r.text,
          source: r.source,
          intel: r.intel,
          handling: r.handling,
          conditions,
          reviewDate: r.reviewDate ?? defaultReviewDate(r),
          grade: gradeCode(r.source, r.intel),
          createdAt: now,
        };
        newReports.push(node);
        known.set(r.ref, node);
        changed = true;
        res.reports.created++;
        res.reportIds.push(node.id);
      });
      if (newReports.length) await tx.run('reports-create', { rows: newReports });
      const resolveReports = (list: string[], at: (string | number)[]): ReportNode[] =>
        list.map((ref, j) => {
          const r = known.get(ref);
          if (!r)
            throw invalid(
              [...at, 'reports', j],
              `report ${JSON.stringify(ref)} does not exist; add it to the batch's reports`,
            );
          return r;
        });

      // --- entities, by natural key.
      const prepared = entities.map((e, i) => {
        const label = normaliseName(e.label);
        const key = e.key ? nfcKey(e.key) : naturalKey(e.type, label, e.properties);
        if (!key) throw invalid(['entities', i, 'key'], 'the natural key is empty');
        return { e, label, key };
      });
      const byId = new Map<string, { node: EntityNode; isNew: boolean; dirty: boolean }>();
      const keyed = new Map<string, { id: string; type: EntityType }>();
      const lookupKeys = async (keys: { type: string; key: string }[]) => {
        const uniq = [...new Map(keys.map((k) => [kk(k.type, k.key), k])).values()];
        const found = new Map<string, EntityNode>();
        if (uniq.length === 0) return found;
        for (const r of await tx.run('entities-by-key', { keys: uniq })) {
          found.set(kk(r.type as string, r.key as string), r.e as EntityNode);
        }
        return found;
      };
      const existing = await lookupKeys(prepared.map((p) => ({ type: p.e.type, key: p.key })));
      for (const [i, { e, label, key }] of prepared.entries()) {
        const rs = resolveReports(e.reports, ['entities', i]);
        const k = kk(e.type, key);
        const hitId = keyed.get(k)?.id ?? existing.get(k)?.id;
        let slot = hitId ? byId.get(hitId) : undefined;
        if (!slot && hitId) {
          const ex = existing.get(k)!;
          slot = {
            node: { ...ex, reports: ex.reports ?? [], imports: ex.imports ?? [] },
            isNew: false,
            dirty: false,
          };
          byId.set(hitId, slot);
        }
        let status: keyof UpsertCounts;
        if (!slot) {
          const n = st.next('entity');
          slot = {
            node: {
              id: `e${n}`,
              n,
              type: e.type,
              key,
              label,
              props: JSON.stringify(e.properties),
              search: searchText(e.properties),
              reviewDate: e.reviewDate ?? null,
              createdAt: now,
              updatedAt: now,
              reports: [],
              imports: [],
            },
            isNew: true,
            dirty: true,
          };
          byId.set(slot.node.id, slot);
          status = 'created';
        } else {
          const node = slot.node;
          status = 'unchanged';
          const hasProps = Object.keys(e.properties).length > 0;
          const merged: Properties = hasProps ? { ...parseProps(node.props), ...e.properties } : {};
          const props = hasProps ? JSON.stringify(merged) : node.props;
          const review = e.reviewDate ?? node.reviewDate ?? null;
          if (label !== node.label || props !== node.props || review !== (node.reviewDate ?? null)) {
            node.label = label;
            node.props = props;
            node.search = searchText(parseProps(props));
            node.reviewDate = review;
            node.updatedAt = now;
            slot.dirty = true;
            status = 'updated';
          }
        }
        const node = slot.node;
        const provenance = joinProvenance(node, rs, importId, now, status);
        if (provenance.joined) slot.dirty = true;
        status = provenance.status;
        if (status !== 'unchanged') changed = true;
        res.entities[status]++;
        res.entityIds.push(node.id);
        keyed.set(k, { id: node.id, type: e.type });
      }
      const creates = [...byId.values()].filter((s) => s.isNew).map((s) => s.node);
      const updates = [...byId.values()].filter((s) => !s.isNew && s.dirty).map((s) => s.node);
      if (creates.length) await tx.run('entities-create', { rows: creates });
      if (updates.length) await tx.run('entities-update', { rows: updates });

      // --- links, by (type, from, to); undirected ones with their ends in canonical order.
      // Endpoints first, all at once: ids by id, keys by key (and by the key's normalised form).
      const idRefs = new Set<string>();
      const keyRefs: { type: string; key: string }[] = [];
      for (const l of links) {
        for (const ref of [l.from, l.to]) {
          if ('id' in ref) idRefs.add(ref.id);
          else {
            const key = nfcKey(ref.key);
            if (keyed.has(kk(ref.type, key))) continue;
            keyRefs.push({ type: ref.type, key });
          }
        }
      }
      const typeById = new Map<string, EntityType>();
      for (const s of byId.values()) typeById.set(s.node.id, s.node.type);
      const askIds = [...idRefs].filter((id) => !typeById.has(id));
      if (askIds.length) {
        for (const r of await tx.run('entity-types-by-id', { ids: askIds }))
          typeById.set(r.id as string, r.type as EntityType);
      }
      const byKey = await lookupKeys(keyRefs);
      // Keys typed as they appear in a source (07700 900123) normalise to the stored form (+447700900123):
      // only keys not found as given are normalised (parsing phone numbers is the slow part of a batch).
      const retry: { type: string; key: string }[] = [];
      for (const k of keyRefs) {
        if (byKey.has(kk(k.type, k.key))) continue;
        const nk = naturalKey(k.type as EntityType, k.key, {});
        if (nk !== k.key) retry.push({ type: k.type, key: nk });
      }
      for (const [k, v] of await lookupKeys(retry)) byKey.set(k, v);
      const endpoint = (
        ref: { id: string } | { type: EntityType; key: string },
        at: (string | number)[],
      ): { id: string; type: EntityType } => {
        if ('id' in ref) {
          const type = typeById.get(ref.id);
          if (!type) throw invalid(at, `entity ${JSON.stringify(ref.id)} does not exist`);
          return { id: ref.id, type };
        }
        const key = nfcKey(ref.key);
        const hit = keyed.get(kk(ref.type, key));
        if (hit) return hit;
        let node = byKey.get(kk(ref.type, key));
        if (!node) {
          const nk = naturalKey(ref.type, key, {});
          if (nk !== key) node = byKey.get(kk(ref.type, nk));
        }
        if (!node) {
          throw invalid(
            at,
            `no ${ref.type} with key ${JSON.stringify(ref.key)}; add it to the batch's entities first`,
          );
        }
        const found = { id: node.id, type: ref.type };
        keyed.set(kk(ref.type, key), found);
        return found;
      };
      const resolved = links.map((l, i) => {
        const rule = LINK_RULES[l.type];
        let from = endpoint(l.from, ['links', i, 'from']);
        let to = endpoint(l.to, ['links', i, 'to']);
        if (from.id === to.id) {
          throw invalid(['links', i, 'to'], `a ${l.type} link cannot join entity ${from.id} to itself`);
        }
        if (!rule.from.includes(from.type) || !rule.to.includes(to.type)) {
          const bad = !rule.from.includes(from.type) ? 'from' : 'to';
          throw invalid(
            ['links', i, bad],
            `${l.type} (${rule.description}) joins ${rule.from.join('/')} to ${rule.to.join('/')}; ` +
              `this link joins a ${from.type} to a ${to.type}`,
          );
        }
        if (!rule.directed && num(from.id) > num(to.id)) [from, to] = [to, from];
        if (l.firstSeen && l.lastSeen && dateMs(l.firstSeen) > dateMs(l.lastSeen, true)) {
          throw invalid(
            ['links', i, 'lastSeen'],
            `lastSeen ${l.lastSeen} is before firstSeen ${l.firstSeen}`,
          );
        }
        const rs = resolveReports(l.reports, ['links', i]);
        return { l, rule, from: from.id, to: to.id, rs };
      });
      const linkKey = (from: string, type: string, to: string) => `${from}\u0000${type}\u0000${to}`;
      const linkSlots = new Map<string, { rel: LinkRel; isNew: boolean; dirty: boolean }>();
      if (resolved.length) {
        const pairs = [
          ...new Map(
            resolved.map((r) => [
              linkKey(r.from, r.l.type, r.to),
              { from: r.from, to: r.to, type: r.l.type },
            ]),
          ).values(),
        ];
        // Links touching only entities created in this batch cannot exist yet.
        const ask = pairs.filter((p) => !(byId.get(p.from)?.isNew || byId.get(p.to)?.isNew));
        if (ask.length) {
          for (const r of await tx.run('links-between', { pairs: ask })) {
            const rel = r.l as LinkRel;
            linkSlots.set(linkKey(rel.from, rel.type, rel.to), {
              rel: {
                ...rel,
                grades: rel.grades ?? [],
                reports: rel.reports ?? [],
                imports: rel.imports ?? [],
              },
              isNew: false,
              dirty: false,
            });
          }
        }
      }
      for (const { l, rule, from, to, rs } of resolved) {
        const codes = rs.map((r) => r.grade);
        const s = seen(l.firstSeen, l.lastSeen);
        const k = linkKey(from, l.type, to);
        let slot = linkSlots.get(k);
        let status: keyof UpsertCounts;
        if (!slot) {
          const n = st.next('link');
          slot = {
            rel: {
              id: `l${n}`,
              n,
              type: l.type,
              from,
              to,
              directed: rule.directed,
              weight: l.weight,
              ...s,
              props: JSON.stringify(l.properties),
              grades: [...new Set(codes)],
              reports: [...new Set(rs.map((r) => r.id))],
              imports: importId !== null ? [importId] : [],
              createdAt: now,
              updatedAt: now,
            },
            isNew: true,
            dirty: true,
          };
          linkSlots.set(k, slot);
          status = 'created';
        } else {
          const ex = slot.rel;
          status = 'unchanged';
          // Combine: the larger weight, seen dates widened, properties merged, gradings united.
          const weight = Math.max(ex.weight, l.weight);
          let first = ex.firstSeen ?? null;
          let firstMs = ex.firstMs ?? null;
          if (s.firstMs !== null && (firstMs === null || s.firstMs < firstMs))
            [first, firstMs] = [s.firstSeen, s.firstMs];
          let last = ex.lastSeen ?? null;
          let lastMs = ex.lastMs ?? null;
          if (s.lastMs !== null && (lastMs === null || s.lastMs > lastMs))
            [last, lastMs] = [s.lastSeen, s.lastMs];
          const hasProps = Object.keys(l.properties).length > 0;
          const p = hasProps ? JSON.stringify({ ...parseProps(ex.props), ...l.properties }) : ex.props;
          const grades = [...new Set([...ex.grades, ...codes])];
          if (
            weight !== ex.weight ||
            first !== (ex.firstSeen ?? null) ||
            last !== (ex.lastSeen ?? null) ||
            p !== ex.props ||
            grades.length !== ex.grades.length
          ) {
            Object.assign(ex, {
              weight,
              firstSeen: first,
              firstMs,
              lastSeen: last,
              lastMs,
              props: p,
              grades,
              updatedAt: now,
            });
            slot.dirty = true;
            status = 'updated';
          }
          const provenance = joinProvenance(ex, rs, importId, now, status);
          if (provenance.joined) slot.dirty = true;
          status = provenance.status;
        }
        if (status !== 'unchanged') changed = true;
        res.links[status]++;
        res.linkIds.push(slot.rel.id);
      }
      const newLinks = [...linkSlots.values()]
        .filter((s) => s.isNew)
        .map((s) => ({ from: s.rel.from, to: s.rel.to, type: s.rel.type, props: relProps(s.rel) }));
      const changedLinks = [...linkSlots.values()]
        .filter((s) => !s.isNew && s.dirty)
        .map((s) => ({ from: s.rel.from, to: s.rel.to, id: s.rel.id, props: relProps(s.rel) }));
      // Chunked so one huge batch does not become one huge parameter; still one transaction.
      for (let i = 0; i < newLinks.length; i += 10_000)
        await tx.run('links-create', { rows: newLinks.slice(i, i + 10_000) });
      for (let i = 0; i < changedLinks.length; i += 10_000)
        await tx.run('links-update', { rows: changedLinks.slice(i, i + 10_000) });

      res.dataVersion = changed ? st.bump() : st.meta.dataVersion;
      if (ctx.importRun) {
        if (importId === null) throw invalid(['importId'], 'an import run needs the import id');
        // A log of what was done, like the audit: it does not change the data version.
        await tx.run('import-run-create', {
          importId,
          at: now,
          actor: ctx.actor,
          report: JSON.stringify(ctx.importRun(res)),
        });
      }
      return res;
    });
  }

  private async reportsForRefs(tx: Tx, refs: string[], at: (string | number)[]): Promise<ReportNode[]> {
    if (refs.length === 0) return [];
    const found = new Map<string, ReportNode>();
    for (const r of await tx.run('reports-by-ref', { refs }))
      found.set((r.r as ReportNode).ref, r.r as ReportNode);
    return refs.map((ref, j) => {
      const r = found.get(ref);
      if (!r) throw invalid([...at, j], `report ${JSON.stringify(ref)} does not exist`);
      return r;
    });
  }

  private async entityNode(tx: Tx, id: string, path: (string | number)[] = ['id']): Promise<EntityNode> {
    const r = parseId(id, 'e') === null ? undefined : await tx.one('entity-by-id', { id });
    if (!r) throw new StoreError('not_found', `entity ${JSON.stringify(id)} does not exist`, path);
    const e = r.e as EntityNode;
    return { ...e, reports: e.reports ?? [], imports: e.imports ?? [] };
  }

  private async linkRel(tx: Tx, id: string): Promise<LinkRel> {
    const r = parseId(id, 'l') === null ? undefined : await tx.one('link-by-id', { id });
    if (!r) throw new StoreError('not_found', `link ${JSON.stringify(id)} does not exist`, ['id']);
    const l = r.l as LinkRel;
    return { ...l, grades: l.grades ?? [], reports: l.reports ?? [], imports: l.imports ?? [] };
  }

  async updateEntity(id: string, patch: EntityPatch, _ctx: WriteContext): Promise<EntityDetail> {
    const p = parseOr(entityPatchSchema, patch, []);
    await this.write(async (tx, st) => {
      const row = await this.entityNode(tx, id);
      const label = p.label !== undefined ? normaliseName(p.label) : row.label;
      const props = p.properties !== undefined ? JSON.stringify(p.properties) : row.props;
      const review = p.reviewDate !== undefined ? p.reviewDate : (row.reviewDate ?? null);
      const add = await this.reportsForRefs(tx, p.addReports ?? [], ['addReports']);
      const remove = await this.reportsForRefs(tx, p.removeReports ?? [], ['removeReports']);
      let changed = label !== row.label || props !== row.props || review !== (row.reviewDate ?? null);
      let reports = row.reports;
      for (const r of add)
        if (!reports.includes(r.id)) {
          reports = [...reports, r.id];
          changed = true;
        }
      for (const r of remove)
        if (reports.includes(r.id)) {
          reports = reports.filter((x) => x !== r.id);
          changed = true;
        }
      if (!changed) return;
      await tx.run('entities-update', {
        rows: [
          {
            id: row.id,
            label,
            props,
            search: searchText(parseProps(props)),
            reviewDate: review,
            reports,
            updatedAt: new Date().toISOString(),
          },
        ],
      });
      st.bump();
    });
    return (await this.getEntity(id))!;
  }

  async updateLink(id: string, patch: LinkPatch, _ctx: WriteContext): Promise<LinkDetail> {
    const p = parseOr(linkPatchSchema, patch, []);
    await this.write(async (tx, st) => {
      const row = await this.linkRel(tx, id);
      const weight = p.weight ?? row.weight;
      const first = p.firstSeen !== undefined ? p.firstSeen : (row.firstSeen ?? null);
      const last = p.lastSeen !== undefined ? p.lastSeen : (row.lastSeen ?? null);
      if (first && last && dateMs(first) > dateMs(last, true)) {
        throw invalid(['lastSeen'], `lastSeen ${last} is before firstSeen ${first}`);
      }
      const props = p.properties !== undefined ? JSON.stringify(p.properties) : row.props;
      const add = await this.reportsForRefs(tx, p.addReports ?? [], ['addReports']);
      const remove = await this.reportsForRefs(tx, p.removeReports ?? [], ['removeReports']);
      let changed =
        weight !== row.weight ||
        first !== (row.firstSeen ?? null) ||
        last !== (row.lastSeen ?? null) ||
        props !== row.props;
      let reports = row.reports;
      for (const r of add)
        if (!reports.includes(r.id)) {
          reports = [...reports, r.id];
          changed = true;
        }
      for (const r of remove)
        if (reports.includes(r.id)) {
          reports = reports.filter((x) => x !== r.id);
          changed = true;
        }
      if (!changed) return;
      const grades = await this.gradesOf(tx, reports);
      await tx.run('links-update', {
        rows: [
          {
            from: row.from,
            to: row.to,
            id: row.id,
            props: {
              weight,
              ...seen(first, last),
              props,
              reports,
              grades,
              updatedAt: new Date().toISOString(),
            },
          },
        ],
      });
      st.bump();
    });
    return (await this.getLink(id))!;
  }

  /** Grading codes of the reports that still exist among `reportIds`. */
  private async gradesOf(tx: Tx, reportIds: string[]): Promise<string[]> {
    if (reportIds.length === 0) return [];
    const rows = await tx.run('report-grades', { ids: reportIds });
    return [...new Set(rows.map((r) => r.grade as string))];
  }

  async deleteEntity(id: string, _ctx: WriteContext): Promise<void> {
    await this.write(async (tx, st) => {
      await this.entityNode(tx, id);
      await tx.run('entities-delete', { ids: [id] });
      st.bump();
    });
  }

  async deleteLink(id: string, _ctx: WriteContext): Promise<void> {
    await this.write(async (tx, st) => {
      const l = await this.linkRel(tx, id);
      await tx.run('link-delete', { from: l.from, to: l.to, id });
      st.bump();
    });
  }

  private async reportNode(tx: Tx, idOrRef: string): Promise<ReportNode | null> {
    const r = await tx.one('report-by-id-or-ref', {
      id: parseId(idOrRef, 'r') === null ? null : idOrRef,
      ref: idOrRef,
    });
    return (r?.r as ReportNode | null) ?? null;
  }

  async deleteReport(id: string, _ctx: WriteContext): Promise<{ entities: string[]; links: string[] }> {
    return this.write(async (tx, st) => {
      const rep = await this.reportNode(tx, id);
      if (!rep) throw new StoreError('not_found', `report ${JSON.stringify(id)} does not exist`, ['id']);
      // What rests on this report alone goes with it; links of a removed entity go too.
      const r = (await tx.one('report-dependants', { id: rep.id }))!;
      const soleEntities = (r.soleEntities as string[]).sort((a, b) => num(a) - num(b));
      const soleLinks = r.soleLinks as string[];
      const otherLinks = soleEntities.length
        ? ((await tx.one('links-of-entities', { ids: soleEntities }))!.ids as string[])
        : [];
      const removedLinks = [...new Set([...soleLinks, ...otherLinks])].sort((a, b) => num(a) - num(b));
      const affectedAll = r.affected as LinkRel[];
      const sole = new Set(soleLinks);
      await tx.run('links-delete', {
        rows: affectedAll.filter((l) => sole.has(l.id)).map((l) => ({ from: l.from, to: l.to, id: l.id })),
      });
      // Removing the entities removes their remaining links with them.
      if (soleEntities.length) await tx.run('entities-delete', { ids: soleEntities });
      await tx.run('report-delete', { id: rep.id });
      // Links that keep other reports lose this one's grading.
      const gone = new Set(removedLinks);
      const affected = affectedAll.filter((l) => !gone.has(l.id));
      if (affected.length) {
        const rows = [];
        for (const l of affected) {
          const reports = (l.reports ?? []).filter((x) => x !== rep.id);
          rows.push({
            from: l.from,
            to: l.to,
            id: l.id,
            props: { reports, grades: await this.gradesOf(tx, reports) },
          });
        }
        await tx.run('links-update', { rows });
      }
      await tx.run('entities-drop-report', { id: rep.id });
      st.bump();
      return { entities: soleEntities, links: removedLinks };
    });
  }

  async setReportReviewDate(id: string, reviewDate: string, _ctx: WriteContext): Promise<Report> {
    const date = parseOr(
      z.object({ reviewDate: reportInputSchema.shape.date }),
      { reviewDate },
      [],
    ).reviewDate;
    return this.write(async (tx, st) => {
      const rep = await this.reportNode(tx, id);
      if (!rep) throw new StoreError('not_found', `report ${JSON.stringify(id)} does not exist`, ['id']);
      if ((rep.reviewDate ?? null) === date) return toReport(rep);
      await tx.run('report-set-review', { id: rep.id, reviewDate: date });
      st.bump();
      return toReport({ ...rep, reviewDate: date });
    });
  }

  // --- merge / unmerge ---------------------------------------------------------------------------

  async merge(keepId: string, dropId: string, ctx: WriteContext): Promise<MergeRecord> {
    const id = await this.write(async (tx, st) => {
      if (keepId === dropId) {
        throw new StoreError('conflict', `cannot merge entity ${JSON.stringify(keepId)} with itself`, [
          'dropId',
        ]);
      }
      if (parseId(keepId, 'e') === null)
        throw new StoreError('not_found', `entity ${JSON.stringify(keepId)} does not exist`, ['keepId']);
      if (parseId(dropId, 'e') === null)
        throw new StoreError('not_found', `entity ${JSON.stringify(dropId)} does not exist`, ['dropId']);
      const keep = await this.entityNode(tx, keepId, ['keepId']);
      const drop = await this.entityNode(tx, dropId, ['dropId']);
      if (keep.type !== drop.type) {
        throw new StoreError(
          'conflict',
          `cannot merge a ${drop.type} into a ${keep.type}: only entities of the same type are the same thing`,
          ['dropId'],
        );
      }
      const now = new Date().toISOString();
      const n = st.next('merge');
      const aliases = (await tx.run('aliases-of', { id: drop.id })).map((r) => ({
        type: r.type as string,
        key: r.key as string,
      }));
      const snap: MergeSnapshot = {
        keep,
        drop: { ...drop, aliases },
        links: [],
        annotations: (await tx.run('annotations-on', { kind: 'entity', id: drop.id })).map(
          (r) => r.id as string,
        ),
      };
      const snapped = new Set<string>();
      const dropLinks = (await tx.run('links-of-entity-all', { id: drop.id })).map((r) => r.l as LinkRel);
      for (const dl of dropLinks) {
        snap.links.push(dl);
        snapped.add(dl.id);
        let nf = dl.from === drop.id ? keep.id : dl.from;
        let nt = dl.to === drop.id ? keep.id : dl.to;
        if (nf === nt) {
          await tx.run('link-delete', { from: dl.from, to: dl.to, id: dl.id });
          continue;
        }
        if (!dl.directed && num(nf) > num(nt)) [nf, nt] = [nt, nf];
        const exRow = await tx.one('links-between', { pairs: [{ from: nf, to: nt, type: dl.type }] });
        if (!exRow) {
          await tx.run('link-move', { from: dl.from, to: dl.to, id: dl.id, newFrom: nf, newTo: nt, now });
          continue;
        }
        const ex = exRow.l as LinkRel;
        if (!snapped.has(ex.id)) {
          snap.links.push(ex);
          snapped.add(ex.id);
        }
        const pick = (a: number | null | undefined, b: number | null | undefined, first: boolean) =>
          a == null ? 'b' : b == null ? 'a' : (first ? a <= b : a >= b) ? 'a' : 'b';
        const f = pick(ex.firstMs, dl.firstMs, true) === 'a' ? ex : dl;
        const la = pick(ex.lastMs, dl.lastMs, false) === 'a' ? ex : dl;
        await tx.run('links-update', {
          rows: [
            {
              from: ex.from,
              to: ex.to,
              id: ex.id,
              props: {
                weight: Math.max(ex.weight, dl.weight),
                firstSeen: f.firstSeen ?? null,
                firstMs: f.firstMs ?? null,
                lastSeen: la.lastSeen ?? null,
                lastMs: la.lastMs ?? null,
                props: JSON.stringify({ ...parseProps(dl.props), ...parseProps(ex.props) }),
                grades: [...new Set([...(ex.grades ?? []), ...(dl.grades ?? [])])],
                reports: [...new Set([...(ex.reports ?? []), ...(dl.reports ?? [])])],
                imports: [...new Set([...(ex.imports ?? []), ...(dl.imports ?? [])])],
                updatedAt: now,
              },
            },
          ],
        });
        await tx.run('link-delete', { from: dl.from, to: dl.to, id: dl.id });
      }
      // The kept entity's own properties win; the merged one's fill the gaps.
      const props = { ...parseProps(drop.props), ...parseProps(keep.props) };
      await tx.run('entities-update', {
        rows: [
          {
            id: keep.id,
            props: JSON.stringify(props),
            search: searchText(props),
            reports: [...new Set([...keep.reports, ...drop.reports])],
            imports: [...new Set([...keep.imports, ...drop.imports])],
            updatedAt: now,
          },
        ],
      });
      await tx.run('merge-finish', {
        keep: keep.id,
        drop: drop.id,
        type: drop.type,
        key: drop.key,
        merge: {
          id: String(n),
          n,
          keptId: keep.id,
          mergedId: drop.id,
          actor: ctx.actor,
          at: now,
          undone: false,
          snapshot: JSON.stringify(snap),
        },
      });
      st.bump();
      return String(n);
    });
    return (await this.read((tx) => this.mergeRecord(tx, id)))!;
  }

  private async mergeRecord(tx: Tx, id: string): Promise<MergeRecord | null> {
    const r = await tx.one('merge-by-id', { id });
    if (!r) return null;
    const m = r.m as {
      id: string;
      keptId: string;
      mergedId: string;
      actor: string;
      at: string;
      undone: boolean;
    };
    return { id: m.id, keptId: m.keptId, mergedId: m.mergedId, actor: m.actor, at: m.at, undone: m.undone };
  }

  async unmerge(mergeId: string, _ctx: WriteContext): Promise<void> {
    await this.write(async (tx, st) => {
      const n = parsePlainId(mergeId);
      const r = n === null ? undefined : await tx.one('merge-by-id', { id: mergeId });
      if (!r)
        throw new StoreError('not_found', `merge ${JSON.stringify(mergeId)} does not exist`, ['mergeId']);
      const m = r.m as { n: number; keptId: string; mergedId: string; undone: boolean; snapshot: string };
      if (m.undone) throw new StoreError('conflict', `merge ${mergeId} has already been undone`, ['mergeId']);
      const later = await tx.one('merge-later', { n: m.n, id: m.keptId });
      if (later) {
        throw new StoreError(
          'conflict',
          `undo merge ${String(later.id)} first: it changed the same entity later`,
          ['mergeId'],
        );
      }
      if (!(await tx.one('entity-by-id', { id: m.keptId }))) {
        throw new StoreError('conflict', `entity ${m.keptId} was deleted after merge ${mergeId}`, [
          'mergeId',
        ]);
      }
      const snap = JSON.parse(m.snapshot) as MergeSnapshot;
      // A report deleted since the merge stays deleted.
      const allReports = new Set<string>([
        ...snap.keep.reports,
        ...snap.drop.reports,
        ...snap.links.flatMap((l) => l.reports ?? []),
      ]);
      const live = new Set(
        allReports.size
          ? (await tx.run('report-grades', { ids: [...allReports] })).map((x) => x.id as string)
          : [],
      );
      const codeOf = new Map(
        allReports.size
          ? (await tx.run('report-grades', { ids: [...allReports] })).map((x) => [
              x.id as string,
              x.grade as string,
            ])
          : [],
      );
      const { aliases, ...dropNode } = snap.drop;
      await tx.run('entities-create', {
        rows: [{ ...dropNode, reports: dropNode.reports.filter((x) => live.has(x)) }],
      });
      await tx.run('entities-update', {
        rows: [
          {
            id: snap.keep.id,
            label: snap.keep.label,
            props: snap.keep.props,
            search: snap.keep.search,
            reviewDate: snap.keep.reviewDate ?? null,
            updatedAt: snap.keep.updatedAt,
            reports: snap.keep.reports.filter((x) => live.has(x)),
            imports: snap.keep.imports,
          },
        ],
      });
      await tx.run('unmerge-aliases', { merge: mergeId, drop: snap.drop.id, aliases });
      await tx.run('links-delete-on', { id: snap.keep.id, ids: snap.links.map((l) => l.id) });
      const ends = new Set(
        (
          await tx.run('entity-types-by-id', { ids: [...new Set(snap.links.flatMap((l) => [l.from, l.to]))] })
        ).map((x) => x.id as string),
      );
      const restore = snap.links
        .filter((l) => ends.has(l.from) && ends.has(l.to))
        .map((l) => {
          const reports = (l.reports ?? []).filter((x) => live.has(x));
          const rel: LinkRel = { ...l, reports, grades: [...new Set(reports.map((x) => codeOf.get(x)!))] };
          return { from: l.from, to: l.to, type: l.type, props: relProps(rel) };
        });
      if (restore.length) await tx.run('links-create', { rows: restore });
      await tx.run('annotations-retarget', { ids: snap.annotations, to: snap.drop.id });
      await tx.run('merge-undone', { id: mergeId });
      st.bump();
    });
  }

  async listMerges(opts: ListOptions = {}): Promise<Page<MergeRecord>> {
    const { offset, limit } = this.page(opts);
    return this.read(async (tx) => {
      const rows = await tx.run('merges-list', { offset, limit });
      const total = (await tx.one('merges-count'))!.c as number;
      const items = rows.map((r) => {
        const m = r.m as MergeRecord;
        return {
          id: m.id,
          keptId: m.keptId,
          mergedId: m.mergedId,
          actor: m.actor,
          at: m.at,
          undone: m.undone,
        };
      });
      return { items, total, offset, limit };
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Reads

  private page(opts: ListOptions): { offset: number; limit: number } {
    const o = parseOr(listOptionsSchema, { offset: opts.offset, limit: opts.limit }, []);
    return { offset: o.offset ?? 0, limit: o.limit ?? DEFAULT_PAGE };
  }

  async getEntity(id: string): Promise<EntityDetail | null> {
    if (parseId(id, 'e') === null) return null;
    return this.read(async (tx) => {
      const r = await tx.one('entity-detail', { id });
      if (!r) return null;
      const reports = (r.reports as ReportNode[]).sort((a, b) => a.n - b.n).map(toReport);
      const aliases = (r.aliases as string[]).sort();
      return { ...toEntity(r.e as EntityNode), reports, aliases };
    });
  }

  async getEntities(ids: string[]): Promise<Entity[]> {
    const valid = ids.filter((i) => parseId(i, 'e') !== null);
    if (valid.length === 0) return [];
    return this.read(async (tx) => {
      const byId = new Map(
        (await tx.run('entities-by-id', { ids: valid })).map((r) => [
          (r.e as EntityNode).id,
          r.e as EntityNode,
        ]),
      );
      // In the order asked for; unknown ids are left out.
      return valid.filter((i) => byId.has(i)).map((i) => toEntity(byId.get(i)!));
    });
  }

  async findEntity(type: EntityType, key: string): Promise<Entity | null> {
    if (!ENTITY_TYPES.includes(type)) return null;
    return this.read(async (tx) => {
      const r = await tx.one('entities-by-key', { keys: [{ type, key: nfcKey(key) }] });
      return r ? toEntity(r.e as EntityNode) : null;
    });
  }

  async listEntities(
    opts: ListOptions & { type?: EntityType; importId?: string } = {},
  ): Promise<Page<Entity>> {
    const { offset, limit } = this.page(opts);
    const where = { type: opts.type ?? null, importId: opts.importId ?? null };
    return this.read(async (tx) => {
      const items = (await tx.run('entities-list', { ...where, offset, limit })).map((r) =>
        toEntity(r.e as EntityNode),
      );
      const total = (await tx.one('entities-count', where))!.c as number;
      return { items, total, offset, limit };
    });
  }

  async getLink(id: string): Promise<LinkDetail | null> {
    if (parseId(id, 'l') === null) return null;
    return this.read(async (tx) => {
      const r = await tx.one('link-by-id', { id });
      if (!r) return null;
      const l = r.l as LinkRel;
      const reports = l.reports?.length
        ? (await tx.run('reports-by-id', { ids: l.reports }))
            .map((x) => x.r as ReportNode)
            .sort((a, b) => a.n - b.n)
            .map(toReport)
        : [];
      return { ...toLink(l), reports };
    });
  }

  async listLinks(opts: ListOptions & { type?: LinkType; entityId?: string } = {}): Promise<Page<Link>> {
    const { offset, limit } = this.page(opts);
    const params = { type: opts.type ?? null, entity: opts.entityId ?? null, offset, limit };
    const which = opts.entityId !== undefined ? 'links-of-entity' : 'links';
    return this.read(async (tx) => {
      const items = (await tx.run(`${which}-list`, params)).map((r) => toLink(r.l as LinkRel));
      const total = (await tx.one(`${which}-count`, params))!.c as number;
      return { items, total, offset, limit };
    });
  }

  async getReport(idOrRef: string): Promise<Report | null> {
    if (typeof idOrRef !== 'string') return null;
    return this.read(async (tx) => {
      const r = await this.reportNode(tx, idOrRef);
      return r ? toReport(r) : null;
    });
  }

  async listReports(opts: ListOptions & { dueBefore?: string } = {}): Promise<Page<Report>> {
    const { offset, limit } = this.page(opts);
    const params = { due: opts.dueBefore ?? null, offset, limit };
    return this.read(async (tx) => {
      const items = (await tx.run('reports-list', params)).map((r) => toReport(r.r as ReportNode));
      const total = (await tx.one('reports-count', params))!.c as number;
      return { items, total, offset, limit };
    });
  }

  async search(query: string, opts: { types?: EntityType[]; limit?: number } = {}): Promise<SearchHit[]> {
    if (typeof query !== 'string') throw invalid(['query'], 'search text must be a string');
    const q = luceneQuery(query);
    if (!q) return [];
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 20)), 500);
    return this.read(async (tx) => {
      const rows = await tx.run('search', { q, types: opts.types ?? null, limit });
      return rows.map((r) => ({ entity: toEntity(r.e as EntityNode), score: r.score as number }));
    });
  }

  /** Each frontier node's links that pass the filter, with the entity at the other end, grouped by node. */
  private async neighbours(
    tx: Tx,
    ids: string[],
    fp: Row,
    otherTypes: readonly string[] | undefined,
  ): Promise<Map<string, { other: string; l: LinkRel }[]>> {
    const out = new Map<string, { other: string; l: LinkRel }[]>();
    for (const id of ids) out.set(id, []);
    if (ids.length === 0) return out;
    for (const r of await tx.run('neighbours', { ids, ...fp, types: otherTypes ?? null })) {
      out.get(r.u as string)!.push({ other: r.other as string, l: r.l as LinkRel });
    }
    for (const list of out.values()) list.sort((a, b) => a.l.n - b.l.n);
    return out;
  }

  async neighbourhood(seedIds: string[], opts: NeighbourhoodOptions): Promise<Subgraph> {
    const hops = opts.hops;
    if (!Number.isInteger(hops) || hops < 1 || hops > 4) throw invalid(['hops'], 'hops must be 1, 2, 3 or 4');
    const filter = checkFilter(opts.filter);
    const limit = opts.limit ?? DEFAULT_NEIGHBOURHOOD_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      throw invalid(['limit'], 'limit must be a whole number above 0');
    let types: string[] | undefined = opts.entityTypes ?? filter.entityTypes;
    if (opts.entityTypes && filter.entityTypes)
      types = opts.entityTypes.filter((t) => filter.entityTypes!.includes(t));
    const fp = filterParams(filter);
    return this.read(async (tx) => {
      const present = new Set(
        (await tx.run('entity-types-by-id', { ids: seedIds.filter((s) => typeof s === 'string') })).map(
          (r) => r.id as string,
        ),
      );
      seedIds.forEach((s, i) => {
        if (parseId(s, 'e') === null || !present.has(s)) {
          throw new StoreError('not_found', `entity ${JSON.stringify(s)} does not exist`, ['seedIds', i]);
        }
      });
      const dataVersion = ((await tx.one('data-version'))?.v as number) ?? 0;
      const nodes = new Set<string>(seedIds);
      const links = new Map<string, LinkRel>();
      let truncated = false;
      let frontier = [...nodes];
      for (let h = 0; h < hops && frontier.length > 0; h++) {
        const next: string[] = [];
        const nb = await this.neighbours(tx, frontier, fp, types);
        for (const u of frontier) {
          for (const r of nb.get(u)!) {
            if (!nodes.has(r.other)) {
              if (nodes.size >= limit) {
                truncated = true;
                continue;
              }
              nodes.add(r.other);
              next.push(r.other);
            }
            links.set(r.l.id, r.l);
          }
        }
        frontier = next;
      }
      // Links among the outermost ring, so the result is the whole graph induced on its nodes.
      const nb = await this.neighbours(tx, frontier, fp, types);
      for (const u of frontier) for (const r of nb.get(u)!) if (nodes.has(r.other)) links.set(r.l.id, r.l);
      const ents = (await tx.run('entities-by-id', { ids: [...nodes] }))
        .map((r) => r.e as EntityNode)
        .sort((a, b) => a.n - b.n);
      return {
        dataVersion,
        nodes: ents.map(toEntity),
        links: [...links.values()].sort((a, b) => a.n - b.n).map(toLink),
        truncated,
      };
    });
  }

  async shortestPaths(fromId: string, toId: string, opts: PathOptions = {}): Promise<PathResult[]> {
    const filter = checkFilter(opts.filter);
    const maxHops = opts.maxHops ?? 6;
    const limit = opts.limit ?? 10;
    if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 12)
      throw invalid(['maxHops'], 'maxHops must be a whole number from 1 to 12');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw invalid(['limit'], 'limit must be a whole number from 1 to 1000');
    const fp = filterParams(filter);
    return this.read(async (tx) => {
      for (const id of [fromId, toId]) {
        if (parseId(id, 'e') === null || !(await tx.one('entity-by-id', { id }))) {
          throw new StoreError('not_found', `entity ${JSON.stringify(id)} does not exist`, ['id']);
        }
      }
      if (fromId === toId) return [{ nodes: [fromId], links: [] }];
      // Breadth first by layers, one query per layer; then every shortest path walked back from the target.
      const dist = new Map<string, number>([[fromId, 0]]);
      const preds = new Map<string, { other: string; link: string }[]>();
      let frontier = [fromId];
      let found = false;
      for (let d = 0; d < maxHops && frontier.length > 0 && !found; d++) {
        const next: string[] = [];
        const nb = await this.neighbours(tx, frontier, fp, filter.entityTypes);
        for (const u of frontier) {
          for (const s of nb.get(u)!) {
            const dv = dist.get(s.other);
            if (dv === undefined) {
              dist.set(s.other, d + 1);
              preds.set(s.other, [{ other: u, link: s.l.id }]);
              next.push(s.other);
              if (s.other === toId) found = true;
            } else if (dv === d + 1) {
              preds.get(s.other)!.push({ other: u, link: s.l.id });
            }
          }
        }
        frontier = next;
      }
      if (!found) return [];
      const out: PathResult[] = [];
      const ns: string[] = [toId];
      const ls: string[] = [];
      const walk = (v: string): void => {
        if (out.length >= limit) return;
        if (v === fromId) {
          out.push({ nodes: [...ns].reverse(), links: [...ls].reverse() });
          return;
        }
        for (const p of preds.get(v) ?? []) {
          ns.push(p.other);
          ls.push(p.link);
          walk(p.other);
          ns.pop();
          ls.pop();
          if (out.length >= limit) return;
        }
      };
      walk(toId);
      return out;
    });
  }

  async subgraph(filterIn: ViewFilter, opts: { limit?: number } = {}): Promise<Subgraph> {
    const filter = checkFilter(filterIn);
    const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
    const fp = filterParams(filter);
    const types = filter.entityTypes ?? null;
    return this.read(async (tx) => {
      const dataVersion = ((await tx.one('data-version'))?.v as number) ?? 0;
      const rows = await tx.run('subgraph-links', {
        ...fp,
        types,
        limit: Math.min(limit, Number.MAX_SAFE_INTEGER - 1) + 1,
      });
      let truncated = false;
      if (rows.length > limit) {
        truncated = true;
        rows.length = limit;
      }
      const links = rows.map((r) => toLink(r.l as LinkRel));
      const all = !filtersLinks(filter) && !truncated;
      let nodes: Entity[];
      if (all) {
        nodes = (await tx.run('entities-of-types', { types })).map((r) => toEntity(r.e as EntityNode));
      } else {
        const ids = new Set<string>();
        for (const l of links) {
          ids.add(l.from);
          ids.add(l.to);
        }
        nodes = (await tx.run('entities-by-id', { ids: [...ids] }))
          .map((r) => r.e as EntityNode)
          .sort((a, b) => a.n - b.n)
          .map(toEntity);
      }
      return { dataVersion, nodes, links, truncated };
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Annotations, charts, users, audit

  private toAnnotation(r: Row): Annotation {
    return {
      id: r.id as string,
      target: { kind: r.targetKind as Annotation['target']['kind'], id: r.targetId as string },
      text: r.text as string,
      tags: JSON.parse(r.tags as string) as string[],
      targetFlag: r.targetFlag as boolean,
      author: r.author as string,
      createdAt: r.createdAt as string,
      updatedAt: r.updatedAt as string,
    };
  }

  async createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation> {
    const a = parseOr(annotationInputSchema, input, []);
    return this.write(async (tx, st) => {
      const now = new Date().toISOString();
      const n = st.next('annotation');
      const row = {
        id: String(n),
        n,
        targetKind: a.target.kind,
        targetId: a.target.id,
        text: a.text,
        tags: JSON.stringify(a.tags),
        targetFlag: a.target_flag,
        author: ctx.actor,
        createdAt: now,
        updatedAt: now,
      };
      await tx.run('annotation-save', { row });
      st.bump();
      return this.toAnnotation(row);
    });
  }

  async updateAnnotation(
    id: string,
    input: Partial<AnnotationInput>,
    _ctx: WriteContext,
  ): Promise<Annotation> {
    const a = parseOr(annotationInputSchema.partial(), input, []);
    return this.write(async (tx, st) => {
      const r = parsePlainId(id) === null ? undefined : await tx.one('annotation-by-id', { id });
      if (!r) throw new StoreError('not_found', `annotation ${JSON.stringify(id)} does not exist`, ['id']);
      const old = r.a as Row;
      const row = {
        ...old,
        targetKind: a.target?.kind ?? old.targetKind,
        targetId: a.target?.id ?? old.targetId,
        // Only what the caller gave changes: the schema's defaults must not reset the rest.
        text: input.text !== undefined ? a.text : old.text,
        tags: input.tags !== undefined ? JSON.stringify(a.tags) : old.tags,
        targetFlag: input.target_flag !== undefined ? a.target_flag : old.targetFlag,
        updatedAt: new Date().toISOString(),
      };
      await tx.run('annotation-save', { row });
      st.bump();
      return this.toAnnotation(row);
    });
  }

  async deleteAnnotation(id: string, _ctx: WriteContext): Promise<void> {
    await this.write(async (tx, st) => {
      const r = parsePlainId(id) === null ? undefined : await tx.one('annotation-delete', { id });
      if (!r || (r.c as number) === 0)
        throw new StoreError('not_found', `annotation ${JSON.stringify(id)} does not exist`, ['id']);
      st.bump();
    });
  }

  async listAnnotations(
    target?: { kind: string; id: string },
    opts: ListOptions = {},
  ): Promise<Page<Annotation>> {
    const { offset, limit } = this.page(opts);
    const params = { kind: target?.kind ?? null, target: target?.id ?? null, offset, limit };
    return this.read(async (tx) => {
      const items = (await tx.run('annotations-list', params)).map((r) => this.toAnnotation(r.a as Row));
      const total = (await tx.one('annotations-count', params))!.c as number;
      return { items, total, offset, limit };
    });
  }

  private toChart(r: Row): Chart {
    return {
      id: r.id as string,
      name: r.name as string,
      owner: r.owner as string,
      state: JSON.parse(r.state as string) as Record<string, unknown>,
      createdAt: r.createdAt as string,
      updatedAt: r.updatedAt as string,
    };
  }

  async saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart> {
    const c = parseOr(chartInputSchema, input, []);
    return this.write(async (tx, st) => {
      const now = new Date().toISOString();
      let row: Row;
      if (id !== undefined) {
        const r = parsePlainId(id) === null ? undefined : await tx.one('chart-by-id', { id });
        if (!r) throw new StoreError('not_found', `chart ${JSON.stringify(id)} does not exist`, ['id']);
        row = { ...(r.c as Row), name: c.name, state: JSON.stringify(c.state), updatedAt: now };
      } else {
        const n = st.next('chart');
        row = {
          id: String(n),
          n,
          name: c.name,
          owner: ctx.actor,
          state: JSON.stringify(c.state),
          createdAt: now,
          updatedAt: now,
        };
      }
      await tx.run('chart-save', { row });
      st.bump();
      return this.toChart(row);
    });
  }

  async getChart(id: string): Promise<Chart | null> {
    if (parsePlainId(id) === null) return null;
    return this.read(async (tx) => {
      const r = await tx.one('chart-by-id', { id });
      return r ? this.toChart(r.c as Row) : null;
    });
  }

  async listCharts(opts: ListOptions = {}): Promise<Page<Chart>> {
    const { offset, limit } = this.page(opts);
    return this.read(async (tx) => {
      const items = (await tx.run('charts-list', { offset, limit })).map((r) => this.toChart(r.c as Row));
      const total = (await tx.one('charts-count'))!.c as number;
      return { items, total, offset, limit };
    });
  }

  async deleteChart(id: string, _ctx: WriteContext): Promise<void> {
    await this.write(async (tx, st) => {
      const r = parsePlainId(id) === null ? undefined : await tx.one('chart-delete', { id });
      if (!r || (r.c as number) === 0)
        throw new StoreError('not_found', `chart ${JSON.stringify(id)} does not exist`, ['id']);
      st.bump();
    });
  }

  private toUser(r: Row): User {
    return {
      id: r.id as string,
      name: r.name as string,
      role: r.role as Role,
      passwordHash: r.passwordHash as string,
      disabled: r.disabled as boolean,
      createdAt: r.createdAt as string,
    };
  }

  async createUser(user: { name: string; role: Role; passwordHash: string }): Promise<User> {
    const u = parseOr(userInputSchema, user, []);
    return this.write(async (tx, st) => {
      if (await tx.one('user-by-name', { name: u.name })) {
        throw new StoreError('conflict', `a user named ${JSON.stringify(u.name)} already exists`, ['name']);
      }
      const n = st.next('user');
      const row = {
        id: String(n),
        n,
        name: u.name,
        role: u.role,
        passwordHash: u.passwordHash,
        disabled: false,
        createdAt: new Date().toISOString(),
      };
      await tx.run('user-save', { row });
      return this.toUser(row);
    });
  }

  async updateUser(
    id: string,
    patch: Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>,
  ): Promise<User> {
    const p = parseOr(
      userInputSchema.pick({ role: true, passwordHash: true }).partial().extend({ disabled: userDisabled }),
      patch,
      [],
    );
    return this.write(async (tx) => {
      const r = parsePlainId(id) === null ? undefined : await tx.one('user-by-id', { id });
      if (!r) throw new StoreError('not_found', `user ${JSON.stringify(id)} does not exist`, ['id']);
      const old = r.u as Row;
      const row = {
        ...old,
        role: p.role ?? old.role,
        passwordHash: p.passwordHash ?? old.passwordHash,
        disabled: p.disabled ?? old.disabled,
      };
      await tx.run('user-save', { row });
      return this.toUser(row);
    });
  }

  async getUserByName(name: string): Promise<User | null> {
    return this.read(async (tx) => {
      const r = await tx.one('user-by-name', { name });
      return r ? this.toUser(r.u as Row) : null;
    });
  }

  async getUser(id: string): Promise<User | null> {
    if (parsePlainId(id) === null) return null;
    return this.read(async (tx) => {
      const r = await tx.one('user-by-id', { id });
      return r ? this.toUser(r.u as Row) : null;
    });
  }

  async listUsers(opts: ListOptions = {}): Promise<Page<User>> {
    const { offset, limit } = this.page(opts);
    return this.read(async (tx) => {
      const items = (await tx.run('users-list', { offset, limit })).map((r) => this.toUser(r.u as Row));
      const total = (await tx.one('users-count'))!.c as number;
      return { items, total, offset, limit };
    });
  }

  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    return (await this.appendAuditBatch([input]))[0];
  }

  async appendAuditBatch(inputs: AuditInput[]): Promise<AuditEvent[]> {
    // Every record is checked before any is written, so a bad one leaves the batch unwritten.
    const valid = inputs.map((input, i) => parseOr(auditInputSchema, input, inputs.length > 1 ? [i] : []));
    if (valid.length === 0) return [];
    return this.write(async (tx, st) => {
      const at = new Date().toISOString();
      const events: AuditEvent[] = [];
      for (const a of valid) {
        const { event } = chainAudit(a, st.next('audit'), at, st.meta.auditHash ?? GENESIS_HASH);
        st.meta.auditHash = event.hash;
        events.push(event);
      }
      await tx.run('audit-append', { rows: events.map(auditRow) });
      return events;
    });
  }

  async listImportRuns(q: ListOptions & { importId?: string } = {}): Promise<Page<ImportRun>> {
    const { offset, limit } = this.page(q);
    const params = { importId: q.importId ?? null, offset, limit };
    return this.read(async (tx) => {
      const items = (await tx.run('import-runs-list', params)).map((x) => {
        const r = x.r as Row;
        return {
          seq: r.seq as number,
          importId: r.importId as string,
          at: r.at as string,
          actor: r.actor as string,
          report: JSON.parse(r.report as string) as Record<string, unknown>,
        };
      });
      const total = (await tx.one('import-runs-count', params))!.c as number;
      return { items, total, offset, limit };
    });
  }

  async listAudit(q: AuditQuery = {}): Promise<Page<AuditEvent>> {
    const { offset, limit } = this.page(q);
    const params = {
      actor: q.actor ?? null,
      action: q.action ?? null,
      objectId: q.objectId ?? null,
      since: q.since ?? null,
      until: q.until ?? null,
      offset,
      limit,
    };
    return this.read(async (tx) => {
      const items = (await tx.run('audit-list', params)).map((r) => fromAuditRow(r.a as Row));
      const total = (await tx.one('audit-count', params))!.c as number;
      return { items, total, offset, limit };
    });
  }
}

function auditRow(e: AuditEvent): Row {
  return { ...e, details: e.details ? JSON.stringify(e.details) : null };
}

function fromAuditRow(r: Row): AuditEvent {
  return {
    seq: r.seq as number,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as string,
    route: (r.route as string | undefined) ?? null,
    objectIds: (r.objectIds as string[] | undefined) ?? [],
    outcome: r.outcome as AuditEvent['outcome'],
    justification: (r.justification as string | undefined) ?? null,
    recipient: (r.recipient as string | undefined) ?? null,
    details: r.details ? (JSON.parse(r.details as string) as Record<string, unknown>) : null,
    prevHash: r.prevHash as string,
    hash: r.hash as string,
  };
}

/** The URI without any credentials in it, for messages. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//');
}

/** Opens a Neo4j store and applies the schema; with `lazy`, a server that is down is only reported. */
export async function openNeo4jStore(opts: Neo4jStoreOptions): Promise<Neo4jGraphStore> {
  const store = new Neo4jGraphStore(opts);
  await store.init();
  return store;
}

// A store-neutral copy of everything a store holds, for `npm run transfer`: ids, provenance, merge records
// (with what unmerge needs), annotations, charts, users and the audit chain, exactly as stored.
import { createHash } from 'node:crypto';
import type { AuditEvent, EntityType, ImportRun, LinkType } from '../../domain/model.ts';

export interface DumpReport {
  id: string;
  ref: string;
  date: string;
  author: string;
  text: string;
  source: number;
  intel: string;
  handling: string;
  conditions: string | null;
  reviewDate: string | null;
  createdAt: string;
}
export interface DumpEntity {
  id: string;
  type: EntityType;
  key: string;
  label: string;
  /** Properties as the JSON text both stores keep. */
  props: string;
  reviewDate: string | null;
  createdAt: string;
  updatedAt: string;
  reports: string[];
  imports: string[];
}
export interface DumpAlias {
  type: string;
  key: string;
  entityId: string;
  mergeId: string | null;
}
export interface DumpLink {
  id: string;
  type: LinkType;
  from: string;
  to: string;
  directed: boolean;
  weight: number;
  firstSeen: string | null;
  lastSeen: string | null;
  props: string;
  reports: string[];
  imports: string[];
  createdAt: string;
  updatedAt: string;
}
export interface DumpSnapshot {
  keep: DumpEntity;
  drop: DumpEntity & { aliases: { type: string; key: string }[] };
  links: DumpLink[];
  annotations: string[];
}
export interface DumpMerge {
  id: string;
  keptId: string;
  mergedId: string;
  actor: string;
  at: string;
  undone: boolean;
  snapshot: DumpSnapshot;
}
export interface DumpAnnotation {
  id: string;
  targetKind: string;
  targetId: string;
  text: string;
  /** JSON text. */
  tags: string;
  targetFlag: boolean;
  author: string;
  createdAt: string;
  updatedAt: string;
}
export interface DumpChart {
  id: string;
  name: string;
  owner: string;
  /** JSON text. */
  state: string;
  createdAt: string;
  updatedAt: string;
}
export interface DumpUser {
  id: string;
  name: string;
  role: string;
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

export interface Dump {
  dataVersion: number;
  reports: DumpReport[];
  entities: DumpEntity[];
  aliases: DumpAlias[];
  links: DumpLink[];
  merges: DumpMerge[];
  annotations: DumpAnnotation[];
  charts: DumpChart[];
  users: DumpUser[];
  audit: AuditEvent[];
  importRuns: ImportRun[];
}

export const DUMP_PARTS = [
  'reports',
  'entities',
  'aliases',
  'links',
  'merges',
  'annotations',
  'charts',
  'users',
  'audit',
  'importRuns',
] as const;

export function isEmptyDump(d: Dump): boolean {
  return DUMP_PARTS.every((k) => d[k].length === 0);
}

/** Numeric part of an id ('e12', '12') for ordering. */
export const idNum = (id: string): number => Number(/\d+$/.exec(id)?.[0] ?? NaN);

function sortedCopy<T>(xs: T[], key: (x: T) => string): T[] {
  return [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** JSON with sorted keys and sorted lists, so two stores holding the same data give the same text. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** A digest of the dump's content (order of rows and of report/import lists ignored). */
export function dumpDigest(d: Dump): string {
  const norm = {
    reports: sortedCopy(d.reports, (r) => r.id),
    entities: sortedCopy(
      d.entities.map((e) => ({ ...e, reports: [...e.reports].sort(), imports: [...e.imports].sort() })),
      (e) => e.id,
    ),
    aliases: sortedCopy(d.aliases, (a) => `${a.type}\u0000${a.key}`),
    links: sortedCopy(
      d.links.map((l) => ({ ...l, reports: [...l.reports].sort(), imports: [...l.imports].sort() })),
      (l) => l.id,
    ),
    merges: sortedCopy(
      d.merges.map((m) => ({ ...m, snapshot: undefined })),
      (m) => m.id,
    ),
    annotations: sortedCopy(d.annotations, (a) => a.id),
    charts: sortedCopy(d.charts, (c) => c.id),
    users: sortedCopy(d.users, (u) => u.id),
    audit: d.audit,
    importRuns: d.importRuns,
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(norm)))
    .digest('hex');
}

export function dumpCounts(d: Dump): Record<(typeof DUMP_PARTS)[number], number> {
  return Object.fromEntries(DUMP_PARTS.map((k) => [k, d[k].length])) as Record<
    (typeof DUMP_PARTS)[number],
    number
  >;
}

// The id list of a large export, kept beside its audit record. A whole-store export carries ~440k ids: put
// in the record's details they made a ~10 MB JSON value, hashed into the chain and written on the request
// thread (a second's stall for everyone). Past the inline limit (LINKCHART_AUDIT_EXPORT_IDS) the list is
// written, by the export worker, to a file named by its digest in the export id folder, and the chained
// record carries the digest and the counts only. The chain covers the digest, so `audit:verify` (and
// GET /api/audit/verify) detects a list edited, swapped or removed: it hashes each file against its record.
//
// The file is the same for both stores (SQLite and Neo4j): one line per id, "entity:<id>", "link:<id>" or
// "report:<id>", sorted, joined by "\n"; its SHA-256 is the record's digest (audit.ts disclosureDigest).
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CarriedIdLists {
  entityIds: readonly string[];
  linkIds: readonly string[];
  reportIds: readonly string[];
}

/** A list kept beside its record: what the chained record says of it. */
export interface KeptIdList {
  /** "sha256:<hex>" of the file's contents. */
  digest: string;
  counts: { entities: number; links: number; reports: number };
}

/** Where the export id lists live, when the operator names no folder: beside the database file. */
export function defaultExportIdsDir(dbPath: string): string {
  return `${dbPath}.audit-exports`;
}

/** The sorted, kind-prefixed lines a disclosure's digest is taken over. */
export function idLines(d: CarriedIdLists): string[] {
  return [
    ...d.entityIds.map((id) => `entity:${id}`),
    ...d.linkIds.map((id) => `link:${id}`),
    ...d.reportIds.map((id) => `report:${id}`),
  ].sort();
}

export function digestOf(text: string | Buffer): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** The file holding the list with this digest (null for a malformed digest, which names no file). */
export function keptFile(dir: string, digest: string): string | null {
  const m = DIGEST.exec(digest);
  return m ? join(dir, `${m[1]}.ids`) : null;
}

/**
 * Writes the list to `dir` (atomically: a reader never sees half a file) and returns its digest and counts.
 * Same list, same file: exporting the same things twice keeps one copy. Runs in the export worker.
 */
export function keepIdList(dir: string, d: CarriedIdLists): KeptIdList {
  const text = idLines(d).join('\n');
  const digest = digestOf(text);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = keptFile(dir, digest)!;
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
  return {
    digest,
    counts: { entities: d.entityIds.length, links: d.linkIds.length, reports: d.reportIds.length },
  };
}

export class KeptListError extends Error {
  override name = 'KeptListError';
  constructor(
    readonly reason: 'missing' | 'mismatch',
    message: string,
  ) {
    super(message);
  }
}

/** The list's text, checked against its digest; throws KeptListError when it is gone or altered. */
export async function readKeptText(dir: string, digest: string): Promise<string> {
  const file = keptFile(dir, digest);
  if (!file) throw new KeptListError('missing', `"${digest}" is not a SHA-256 digest`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new KeptListError('missing', `the id list ${digest} is missing from ${dir}`);
  }
  if (digestOf(bytes) !== digest)
    throw new KeptListError('mismatch', `the id list in ${file} does not match its digest ${digest}`);
  return bytes.toString('utf8');
}

/** The kept list split by kind, checked against its digest. */
export async function readKeptIds(
  dir: string,
  digest: string,
): Promise<{ entities: string[]; links: string[]; reports: string[] }> {
  const text = await readKeptText(dir, digest);
  const out = { entities: [] as string[], links: [] as string[], reports: [] as string[] };
  if (text === '') return out;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    const kind = line.slice(0, colon);
    const id = line.slice(colon + 1);
    if (kind === 'entity') out.entities.push(id);
    else if (kind === 'link') out.links.push(id);
    else if (kind === 'report') out.reports.push(id);
  }
  return out;
}

/** The digest of an export record whose list is kept beside it (null for a record that lists its ids). */
export function keptDigestOf(details: Record<string, unknown> | null | undefined): string | null {
  const d = details?.disclosure as { idList?: unknown; digest?: unknown } | undefined;
  return d && d.idList === 'kept' && typeof d.digest === 'string' ? d.digest : null;
}

/**
 * The disclosure as the request thread should get it: past `limit` ids, its lists written beside the record
 * (keepIdList) and replaced by their digest and counts; at or under it, as it is.
 */
export function keepLargeLists<D extends CarriedIdLists & { kept?: KeptIdList }>(
  d: D,
  keep: { dir: string; limit: number },
): D {
  const total = d.entityIds.length + d.linkIds.length + d.reportIds.length;
  if (total <= keep.limit) return d;
  return { ...d, entityIds: [], linkIds: [], reportIds: [], kept: keepIdList(keep.dir, d) };
}

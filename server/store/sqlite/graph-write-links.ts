// writeBatch step (graph-write.ts): links, by (type, from, to), undirected ones with their ends in canonical
// order; ends resolved by id or natural key, and a link written again combined with the one there.
import type Database from 'better-sqlite3';
import type { EntityType } from '../../domain/model.ts';
import { LINK_RULES } from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import {
  joinProvenance,
  joinStatements,
  resolveReports,
  tally,
  type At,
  type Batch,
  type End,
  type Joins,
  type Status,
} from './graph-write-batch.ts';
import { cachedMs, nfcKey, parseProps, seen } from '../shared/values.ts';
import { entityId, linkId, parseId } from '../shared/ids.ts';
import { invalid, type LinkParsed } from '../shared/validate.ts';

interface ExistingLink {
  id: number;
  weight: number;
  first_seen: string | null;
  last_seen: string | null;
  first_ms: number | null;
  last_ms: number | null;
  properties: string;
  grades: number;
}

interface LinkStep {
  typeById: Database.Statement;
  idByKey: Database.Statement;
  idByAlias: Database.Statement;
  ins: Database.Statement;
  get: Database.Statement;
  upd: Database.Statement;
  joins: Joins;
  opJoin: Database.Statement;
  endJoin: Database.Statement;
}

/** `linkFloor`: the highest link id before the batch (the batch's new links are above it). */
export function upsertLinks(b: Batch, links: LinkParsed[], linkFloor: number): void {
  if (links.length === 0) return;
  const c = b.c;
  const s: LinkStep = {
    typeById: c.st('SELECT type FROM entities WHERE id = ?').pluck(),
    idByKey: c.st('SELECT id FROM entities WHERE type = ? AND key = ?').pluck(),
    idByAlias: c.st('SELECT entity_id FROM entity_aliases WHERE type = ? AND key = ?').pluck(),
    ins: c.st(
      `INSERT INTO links (type, from_id, to_id, directed, weight, first_seen, last_seen, first_ms, last_ms, properties, grades, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (from_id, type, to_id) DO NOTHING`,
    ),
    get: c.st(
      `SELECT id, weight, first_seen, last_seen, first_ms, last_ms, properties, grades FROM links
       WHERE from_id = ? AND type = ? AND to_id = ?`,
    ),
    upd: c.st(
      `UPDATE links SET weight = ?, first_seen = ?, last_seen = ?, first_ms = ?, last_ms = ?, properties = ?,
         grades = ?, updated_at = ? WHERE id = ?`,
    ),
    joins: joinStatements(b, 'link'),
    opJoin: c.st('INSERT OR IGNORE INTO link_ops (link_id, op_id, added_at) VALUES (?, ?, ?)'),
    endJoin: c.st(
      "INSERT OR IGNORE INTO entity_ops (entity_id, op_id, properties, added_at) VALUES (?, ?, '{}', ?)",
    ),
  };
  for (let i = 0; i < links.length; i++) upsertLink(b, s, links[i], i, linkFloor);
  s.joins.pend.flush();
  // The batch's new links are its operation's alone (ids only grow).
  c.st(
    'INSERT OR IGNORE INTO link_ops (link_id, op_id, added_at) SELECT id, ?, created_at FROM links WHERE id > ?',
  ).run(b.op, linkFloor);
}

/**
 * A link written in an operation puts both its ends in it: the operation asserts them (a link is seen only
 * with both ends).
 */
function joinEnd(b: Batch, s: LinkStep, end: End): void {
  if (b.inOp.has(end.id)) return;
  if (s.endJoin.run(end.id, b.op, b.now).changes > 0) b.joined.push(end.id);
  b.inOp.add(end.id);
}

function upsertLink(b: Batch, s: LinkStep, l: LinkParsed, i: number, linkFloor: number): void {
  const rule = LINK_RULES[l.type];
  let from = resolveEnd(b, s, l.from, ['links', i, 'from']);
  let to = resolveEnd(b, s, l.to, ['links', i, 'to']);
  checkLink(l, i, from, to);
  if (!rule.directed && from.id > to.id) [from, to] = [to, from];
  const rs = resolveReports(b, l.reports, ['links', i]);
  let mask = 0;
  for (const r of rs) mask |= r.bit;
  const d = seen(l.firstSeen, l.lastSeen);
  const props = Object.keys(l.properties).length === 0 ? '{}' : JSON.stringify(l.properties);
  const directed = rule.directed ? 1 : 0;
  const ins = s.ins.run(
    l.type,
    from.id,
    to.id,
    directed,
    l.weight,
    d.first,
    d.last,
    d.firstMs,
    d.lastMs,
    props,
    mask,
    b.now,
    b.now,
  );
  let id: number;
  let status: Status;
  if (ins.changes === 1) {
    id = Number(ins.lastInsertRowid);
    status = 'created';
    s.joins.pend.add(id, rs);
  } else {
    s.joins.pend.flush();
    const ex = s.get.get(from.id, l.type, to.id) as ExistingLink;
    id = ex.id;
    status = joinProvenance(b, s.joins, id, rs, combineLink(b, s, ex, l, d, mask));
    if (id <= linkFloor && s.opJoin.run(id, b.op, b.now).changes > 0 && status === 'unchanged') {
      s.joins.touch.run(b.now, id);
      status = 'updated';
    }
  }
  joinEnd(b, s, from);
  joinEnd(b, s, to);
  tally(b, b.res.links, status);
  b.res.linkIds.push(linkId(id));
}

/** A link's ends must be two entities of the types its rule joins, and its seen dates in order. */
function checkLink(l: LinkParsed, i: number, from: End, to: End): void {
  const rule = LINK_RULES[l.type];
  if (from.id === to.id) {
    throw invalid(['links', i, 'to'], `a ${l.type} link cannot join entity ${entityId(from.id)} to itself`);
  }
  if (!rule.from.includes(from.type) || !rule.to.includes(to.type)) {
    const bad = !rule.from.includes(from.type) ? 'from' : 'to';
    throw invalid(
      ['links', i, bad],
      `${l.type} (${rule.description}) joins ${rule.from.join('/')} to ${rule.to.join('/')}; ` +
        `this link joins a ${from.type} to a ${to.type}`,
    );
  }
  if (l.firstSeen && l.lastSeen && cachedMs(l.firstSeen, false) > cachedMs(l.lastSeen, true)) {
    throw invalid(['links', i, 'lastSeen'], `lastSeen ${l.lastSeen} is before firstSeen ${l.firstSeen}`);
  }
}

/** A link end: an entity id, or a natural key of this batch's entities or the store's (or an alias). */
function resolveEnd(
  b: Batch,
  s: LinkStep,
  ref: { id: string } | { type: EntityType; key: string },
  at: At,
): End {
  if ('id' in ref) {
    const n = parseId(ref.id, 'e');
    const type = n === null ? undefined : (s.typeById.get(n) as EntityType | undefined);
    if (n === null || !type) throw invalid(at, `entity ${JSON.stringify(ref.id)} does not exist`);
    return { id: n, type };
  }
  const key = nfcKey(ref.key);
  const cacheKey = `${ref.type}\u0000${key}`;
  const hit = b.keyed.get(cacheKey);
  if (hit) return hit;
  let id = idOfKey(b, s, ref.type, key);
  // Keys typed as they appear in a source (07700 900123) normalise to the stored form (+447700900123).
  if (id === undefined) {
    const nk = naturalKey(ref.type, key, {});
    if (nk !== key) id = idOfKey(b, s, ref.type, nk);
  }
  if (id === undefined) {
    throw invalid(
      at,
      `no ${ref.type} with key ${JSON.stringify(ref.key)}; add it to the batch's entities first`,
    );
  }
  const found = { id, type: ref.type };
  b.keyed.set(cacheKey, found);
  return found;
}

function idOfKey(b: Batch, s: LinkStep, type: EntityType, key: string): number | undefined {
  return (s.idByKey.get(type, key) ?? (b.anyAlias ? s.idByAlias.get(type, key) : undefined)) as
    number | undefined;
}

/** A link written again: the larger weight, seen dates widened, properties merged, gradings united. */
function combineLink(
  b: Batch,
  s: LinkStep,
  ex: ExistingLink,
  l: LinkParsed,
  d: ReturnType<typeof seen>,
  mask: number,
): Status {
  const weight = Math.max(ex.weight, l.weight);
  let first = ex.first_seen;
  let firstMs = ex.first_ms;
  if (d.firstMs !== null && (firstMs === null || d.firstMs < firstMs))
    [first, firstMs] = [d.first, d.firstMs];
  let last = ex.last_seen;
  let lastMs = ex.last_ms;
  if (d.lastMs !== null && (lastMs === null || d.lastMs > lastMs)) [last, lastMs] = [d.last, d.lastMs];
  const hasProps = Object.keys(l.properties).length > 0;
  const p = hasProps ? JSON.stringify({ ...parseProps(ex.properties), ...l.properties }) : ex.properties;
  const grades = ex.grades | mask;
  if (
    weight === ex.weight &&
    first === ex.first_seen &&
    last === ex.last_seen &&
    p === ex.properties &&
    grades === ex.grades
  )
    return 'unchanged';
  s.upd.run(weight, first, last, firstMs, lastMs, p, grades, b.now, ex.id);
  return 'updated';
}

// The link steps of a write batch: resolve each link's ends (ids or natural keys, the batch's own entities
// included) and check it against the link rules, then upsert links by (type, from, to), undirected ones with
// their ends in canonical order. Provenance and the counts follow in graph-write-batch.ts.
import type { EntityRef, EntityType, LinkRule } from '../../domain/model.ts';
import { LINK_RULES } from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { dateMs, nfcKey } from '../shared/values.ts';
import { invalid, type LinkParsed } from '../shared/validate.ts';
import { lockEntities, WriteRace } from './context.ts';
import type { EntityUpserts } from './graph-write-entities.ts';
import {
  changedFields,
  citedReports,
  kk,
  lookupKeys,
  type EntityRef as StoredRef,
  type BatchRun,
  type Keyed,
  type Mention,
  type PathItem,
  type Slot,
} from './graph-write-batch.ts';
import { joinOp } from './op-membership.ts';
import { linkRel, num, parseProps, relProps, seen, type LinkRel, type ReportNode } from './rows.ts';

/** Rows per query when links are written: one huge batch must not become one huge parameter. */
const CHUNK = 10_000;

type End = { id: string; type: EntityType };

/** A link of the batch with its ends resolved and checked, and the reports it cites. */
interface ResolvedLink {
  l: LinkParsed;
  rule: LinkRule;
  from: string;
  to: string;
  cited: ReportNode[];
}

export interface LinkUpserts {
  slots: Map<string, Slot<LinkRel>>;
  mentions: Mention<LinkRel>[];
  /** Stored entities outside the batch's own that joined its operation as ends of its links. */
  joinedEnds: string[];
}

const linkKey = (from: string, type: string, to: string) => `${from}\u0000${type}\u0000${to}`;

/** What link ends can name: entities by id (with their types) and by natural key. */
class Ends {
  private constructor(
    private readonly keyed: Keyed,
    private readonly typeById: Map<string, EntityType>,
    private readonly byKey: Map<string, StoredRef>,
  ) {}

  /** Every end of the batch's links looked up at once: ids by id, keys by key (and by the key's normalised form). */
  static async load(run: BatchRun, links: LinkParsed[], entities: EntityUpserts): Promise<Ends> {
    const idRefs = new Set<string>();
    const keyRefs: { type: string; key: string }[] = [];
    for (const l of links) {
      for (const ref of [l.from, l.to]) {
        if ('id' in ref) idRefs.add(ref.id);
        else {
          const key = nfcKey(ref.key);
          if (entities.keyed.has(kk(ref.type, key))) continue;
          keyRefs.push({ type: ref.type, key });
        }
      }
    }
    const typeById = new Map<string, EntityType>();
    for (const s of entities.byId.values()) typeById.set(s.fact.id, s.fact.type);
    const askIds = [...idRefs].filter((id) => !typeById.has(id));
    if (askIds.length) {
      for (const r of await run.tx.run('entity-types-by-id', { ids: askIds, ops: null }))
        typeById.set(r.id as string, r.type as EntityType);
    }
    const byKey = await lookupKeys(run.tx, keyRefs);
    // Keys typed as they appear in a source (07700 900123) normalise to the stored form (+447700900123):
    // only keys not found as given are normalised (parsing phone numbers is the slow part of a batch).
    const retry: { type: string; key: string }[] = [];
    for (const k of keyRefs) {
      if (byKey.has(kk(k.type, k.key))) continue;
      const nk = naturalKey(k.type as EntityType, k.key, {});
      if (nk !== k.key) retry.push({ type: k.type, key: nk });
    }
    for (const [k, v] of await lookupKeys(run.tx, retry)) byKey.set(k, v);
    return new Ends(entities.keyed, typeById, byKey);
  }

  get(ref: EntityRef, at: PathItem[]): End {
    if ('id' in ref) {
      const type = this.typeById.get(ref.id);
      if (!type) throw invalid(at, `entity ${JSON.stringify(ref.id)} does not exist`);
      return { id: ref.id, type };
    }
    const key = nfcKey(ref.key);
    const hit = this.keyed.get(kk(ref.type, key));
    if (hit) return hit;
    let node = this.byKey.get(kk(ref.type, key));
    if (!node) {
      const nk = naturalKey(ref.type, key, {});
      if (nk !== key) node = this.byKey.get(kk(ref.type, nk));
    }
    if (!node) {
      throw invalid(
        at,
        `no ${ref.type} with key ${JSON.stringify(ref.key)}; add it to the batch's entities first`,
      );
    }
    const found = { id: node.id, type: ref.type };
    this.keyed.set(kk(ref.type, key), found);
    return found;
  }
}

/** A link's ends, checked against its type's rule and put in canonical order; its dates and reports checked. */
function resolveLink(ends: Ends, reports: Map<string, ReportNode>, l: LinkParsed, i: number): ResolvedLink {
  const rule = LINK_RULES[l.type];
  let from = ends.get(l.from, ['links', i, 'from']);
  let to = ends.get(l.to, ['links', i, 'to']);
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
    throw invalid(['links', i, 'lastSeen'], `lastSeen ${l.lastSeen} is before firstSeen ${l.firstSeen}`);
  }
  const cited = citedReports(reports, l.reports, ['links', i]);
  return { l, rule, from: from.id, to: to.id, cited };
}

/** The stored links among the batch's links, by linkKey. */
async function existingLinks(
  run: BatchRun,
  resolved: ResolvedLink[],
  entities: EntityUpserts,
): Promise<Map<string, Slot<LinkRel>>> {
  const slots = new Map<string, Slot<LinkRel>>();
  if (resolved.length === 0) return slots;
  const pairs = [
    ...new Map(
      resolved.map((r) => [linkKey(r.from, r.l.type, r.to), { from: r.from, to: r.to, type: r.l.type }]),
    ).values(),
  ];
  // Links touching only entities created in this batch cannot exist yet.
  const ask = pairs.filter((p) => !(entities.byId.get(p.from)?.isNew || entities.byId.get(p.to)?.isNew));
  if (ask.length === 0) return slots;
  for (const r of await run.tx.run('links-between', { pairs: ask })) {
    const rel = linkRel(r.l as LinkRel);
    slots.set(linkKey(rel.from, rel.type, rel.to), {
      fact: { ...rel },
      isNew: false,
      dirty: false,
      orig: rel,
    });
  }
  return slots;
}

function newLink(run: BatchRun, { l, rule, from, to, cited }: ResolvedLink): Slot<LinkRel> {
  const n = run.st.take('link');
  return {
    fact: {
      id: `l${n}`,
      n,
      type: l.type,
      from,
      to,
      directed: rule.directed,
      weight: l.weight,
      ...seen(l.firstSeen, l.lastSeen),
      props: JSON.stringify(l.properties),
      grades: [...new Set(cited.map((r) => r.grade))],
      // Filled by the provenance step, as for a link met again.
      reports: [],
      imports: [],
      ops: [run.op],
      createdAt: run.now,
      updatedAt: run.now,
    },
    isNew: true,
    dirty: true,
  };
}

/** Combine: the larger weight, seen dates widened, properties merged, gradings united. */
function mergeLink(run: BatchRun, slot: Slot<LinkRel>, { l, cited }: ResolvedLink): 'updated' | 'unchanged' {
  const ex = slot.fact;
  const s = seen(l.firstSeen, l.lastSeen);
  const weight = Math.max(ex.weight, l.weight);
  let first = ex.firstSeen ?? null;
  let firstMs = ex.firstMs ?? null;
  if (s.firstMs !== null && (firstMs === null || s.firstMs < firstMs))
    [first, firstMs] = [s.firstSeen, s.firstMs];
  let last = ex.lastSeen ?? null;
  let lastMs = ex.lastMs ?? null;
  if (s.lastMs !== null && (lastMs === null || s.lastMs > lastMs)) [last, lastMs] = [s.lastSeen, s.lastMs];
  const hasProps = Object.keys(l.properties).length > 0;
  const p = hasProps ? JSON.stringify({ ...parseProps(ex.props), ...l.properties }) : ex.props;
  const grades = [...new Set([...ex.grades, ...cited.map((r) => r.grade)])];
  if (
    weight === ex.weight &&
    first === (ex.firstSeen ?? null) &&
    last === (ex.lastSeen ?? null) &&
    p === ex.props &&
    grades.length === ex.grades.length
  ) {
    return 'unchanged';
  }
  Object.assign(ex, { weight, firstSeen: first, firstMs, lastSeen: last, lastMs, props: p, grades });
  ex.updatedAt = run.now;
  slot.dirty = true;
  return 'updated';
}

/** Links by (type, from, to): one slot per link however often the batch names it, in memory until saved. */
export async function upsertLinks(
  run: BatchRun,
  links: LinkParsed[],
  entities: EntityUpserts,
  reports: Map<string, ReportNode>,
): Promise<LinkUpserts> {
  const ends = await Ends.load(run, links, entities);
  const resolved = links.map((l, i) => resolveLink(ends, reports, l, i));
  // Ends that are not the batch's own entities (those are locked already) are locked before the links between
  // them are looked for: whoever creates a link holds both its ends, so "not there, create it" cannot race.
  const outside = new Set<string>();
  for (const r of resolved) for (const id of [r.from, r.to]) if (!entities.byId.has(id)) outside.add(id);
  const locked = await lockEntities(run.tx, outside);
  if (locked.length < outside.size) throw new WriteRace('or removed a linked entity');
  const slots = await existingLinks(run, resolved, entities);
  const fresh = new Set(resolved.map((r) => linkKey(r.from, r.l.type, r.to)).filter((k) => !slots.has(k)));
  await run.st.reserve('link', fresh.size);
  const mentions: Mention<LinkRel>[] = [];
  for (const r of resolved) {
    const k = linkKey(r.from, r.l.type, r.to);
    let slot = slots.get(k);
    let status: Mention<LinkRel>['status'];
    if (!slot) {
      slot = newLink(run, r);
      slots.set(k, slot);
      status = 'created';
    } else {
      const joined = joinOp(slot.fact, run.op);
      if (joined) slot.dirty = true;
      status = mergeLink(run, slot, r);
      if (joined && status === 'unchanged') {
        slot.fact.updatedAt = run.now;
        status = 'updated';
      }
    }
    mentions.push({ slot, reports: r.cited, status });
    run.res.linkIds.push(slot.fact.id);
  }
  // Ends that are not the batch's own entities join its operation here (the batch's own joined already).
  const joinedEnds = outside.size
    ? (await run.tx.run('entities-join-op', { ids: [...outside], op: run.op, now: run.now })).map(
        (x) => x.id as string,
      )
    : [];
  if (joinedEnds.length) run.changed = true;
  return { slots, mentions, joinedEnds };
}

/** The fields every link a batch creates has alike (its operation, import and time), sent once, not per link. */
const COMMON = ['imports', 'ops', 'createdAt', 'updatedAt'] as const;

/**
 * Creates the batch's new links, in chunks. The fields they all share are sent once for the whole chunk
 * (links-create-batch), which spares building, sending and decoding them link by link; a chunk whose links
 * differ in one of them (none the write path makes today) goes through links-create, each link whole.
 */
async function createLinks(run: BatchRun, fresh: LinkRel[]): Promise<void> {
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const chunk = fresh.slice(i, i + CHUNK);
    const first = chunk[0];
    const alike = chunk.every((l) =>
      COMMON.every((k) => {
        const a = l[k];
        const b = first[k];
        return Array.isArray(a) && Array.isArray(b) ? a.join('\u0000') === b.join('\u0000') : a === b;
      }),
    );
    if (!alike) {
      const rows = chunk.map((l) => ({ from: l.from, to: l.to, type: l.type, props: relProps(l) }));
      await run.tx.run('links-create', { rows });
      continue;
    }
    const rows = chunk.map((l) => ({
      from: l.from,
      to: l.to,
      type: l.type,
      id: l.id,
      n: l.n,
      directed: l.directed,
      weight: l.weight,
      firstSeen: l.firstSeen ?? null,
      lastSeen: l.lastSeen ?? null,
      firstMs: l.firstMs ?? null,
      lastMs: l.lastMs ?? null,
      props: l.props,
      grades: l.grades,
      reports: l.reports,
    }));
    await run.tx.run('links-create-batch', {
      rows,
      imports: first.imports,
      ops: first.ops,
      createdAt: first.createdAt,
      updatedAt: first.updatedAt,
    });
  }
}

/** Writes the links the batch created or changed, in chunks; still one transaction. */
export async function saveLinks(run: BatchRun, { slots }: LinkUpserts): Promise<void> {
  const all = [...slots.values()];
  const fresh = all.filter((s) => s.isNew).map((s) => s.fact);
  // Links met again: only the fields the batch changed are written back.
  const changed = all
    .filter((s) => !s.isNew && s.dirty)
    .map((s) => ({
      from: s.fact.from,
      to: s.fact.to,
      id: s.fact.id,
      props: changedFields(s.orig!, s.fact, ['from', 'to', 'type']),
    }))
    .filter((r) => Object.keys(r.props).length > 0);
  await createLinks(run, fresh);
  for (let i = 0; i < changed.length; i += CHUNK)
    await run.tx.run('links-update', { rows: changed.slice(i, i + CHUNK) });
}

// Merging two entities that are the same real thing, and undoing it, on Neo4j. A merge keeps a snapshot of
// everything it changed (both entities, the links it moved or combined, the annotations it retargeted) so that
// unmerge can put them back; only the latest merge touching an entity can be undone.
import type { WriteContext } from '../../domain/model.ts';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import type { MergeRecord } from '../graph-store.ts';
import { parseId, parsePlainId } from '../shared/ids.ts';
import { MERGE_KEY } from '../shared/list-key.ts';
import { searchText } from '../shared/values.ts';
import { lockWithNeighbours, type Neo4jContext, type State } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { recordSharedSubjects } from './deconfliction.ts';
import { loadEntity } from './graph-load.ts';
import { mergeOpProps } from './op-membership.ts';
import { mergeWouldCombine, sameOperations, sharedMerge, unreadableHolders } from '../shared/shared-facts.ts';
import { num, parseProps, relProps, toMergeRecord, type EntityNode, type LinkRel } from './rows.ts';

interface MergeSnapshot {
  keep: EntityNode;
  drop: EntityNode & { aliases: { type: string; key: string }[] };
  links: LinkRel[];
  annotations: string[];
}

/** The two entities of a merge: both must exist, differ and be of one type. */
async function mergePair(
  tx: Tx,
  keepId: string,
  dropId: string,
): Promise<{ keep: EntityNode; drop: EntityNode }> {
  if (keepId === dropId) {
    throw new StoreError('conflict', `cannot merge entity ${JSON.stringify(keepId)} with itself`, ['dropId']);
  }
  if (parseId(keepId, 'e') === null)
    throw new StoreError('not_found', `entity ${JSON.stringify(keepId)} does not exist`, ['keepId']);
  if (parseId(dropId, 'e') === null)
    throw new StoreError('not_found', `entity ${JSON.stringify(dropId)} does not exist`, ['dropId']);
  const keep = await loadEntity(tx, keepId, ['keepId']);
  const drop = await loadEntity(tx, dropId, ['dropId']);
  if (keep.type !== drop.type) {
    throw new StoreError(
      'conflict',
      `cannot merge a ${drop.type} into a ${keep.type}: only entities of the same type are the same thing`,
      ['dropId'],
    );
  }
  return { keep, drop };
}

/** `dl` folded into the link `ex` that already joins the same ends: the wider dates, the larger weight. */
async function combineLinks(tx: Tx, ex: LinkRel, dl: LinkRel, now: string): Promise<void> {
  const pick = (a: number | null | undefined, b: number | null | undefined, first: boolean) =>
    a == null ? 'b' : b == null ? 'a' : (first ? a <= b : a >= b) ? 'a' : 'b';
  const f = pick(ex.firstMs, dl.firstMs, true) === 'a' ? ex : dl;
  const la = pick(ex.lastMs, dl.lastMs, false) === 'a' ? ex : dl;
  const props = {
    weight: Math.max(ex.weight, dl.weight),
    firstSeen: f.firstSeen ?? null,
    firstMs: f.firstMs ?? null,
    lastSeen: la.lastSeen ?? null,
    lastMs: la.lastMs ?? null,
    props: JSON.stringify({ ...parseProps(dl.props), ...parseProps(ex.props) }),
    grades: [...new Set([...(ex.grades ?? []), ...(dl.grades ?? [])])],
    reports: [...new Set([...(ex.reports ?? []), ...(dl.reports ?? [])])],
    imports: [...new Set([...(ex.imports ?? []), ...(dl.imports ?? [])])],
    ops: [...new Set([...(ex.ops ?? []), ...(dl.ops ?? [])])],
    updatedAt: now,
  };
  await tx.run('links-update', { rows: [{ from: ex.from, to: ex.to, id: ex.id, props }] });
  await tx.run('link-delete', { from: dl.from, to: dl.to, id: dl.id });
}

/**
 * The merged entity's links move to the kept one: a link between the two goes, a link the kept one already
 * has is combined into it, any other is moved. Every link touched is snapshotted first.
 */
async function moveLinks(tx: Tx, keep: EntityNode, drop: EntityNode, snap: MergeSnapshot, now: string) {
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
    // One operation's record of a link is never folded into another's (shared-facts.ts).
    if (!sameOperations(ex.ops ?? [], dl.ops ?? [])) throw mergeWouldCombine(dl.id, ex.id);
    if (!snapped.has(ex.id)) {
      snap.links.push(ex);
      snapped.add(ex.id);
    }
    await combineLinks(tx, ex, dl, now);
  }
}

async function snapshot(tx: Tx, keep: EntityNode, drop: EntityNode): Promise<MergeSnapshot> {
  const aliases = (await tx.run('aliases-of', { id: drop.id })).map((r) => ({
    type: r.type as string,
    key: r.key as string,
  }));
  const annotations = (await tx.run('annotations-on', { kind: 'entity', id: drop.id })).map(
    (r) => r.id as string,
  );
  return { keep, drop: { ...drop, aliases }, links: [], annotations };
}

export async function merge(
  c: Neo4jContext,
  keepId: string,
  dropId: string,
  ctx: WriteContext,
): Promise<MergeRecord> {
  const id = await c.write((tx, st) => mergeIn(tx, st, keepId, dropId, ctx));
  return c.read(async (tx) => toMergeRecord((await tx.one('merge-by-id', { id }))!.m as Row));
}

/** The merge inside the caller's write transaction (the duplicate queue's accept); returns the merge id. */
export async function mergeIn(
  tx: Tx,
  st: State,
  keepId: string,
  dropId: string,
  ctx: WriteContext,
): Promise<string> {
  await lockWithNeighbours(tx, [keepId, dropId]);
  const { keep, drop } = await mergePair(tx, keepId, dropId);
  // Both entities' records change: the merger must read every operation holding either.
  if (unreadableHolders(keep.ops, ctx).length) throw sharedMerge(keepId, 'keepId');
  if (unreadableHolders(drop.ops, ctx).length) throw sharedMerge(dropId, 'dropId');
  const now = new Date().toISOString();
  const n = await st.next('merge');
  const snap = await snapshot(tx, keep, drop);
  await moveLinks(tx, keep, drop, snap, now);
  // The kept entity's own properties win; the merged one's fill the gaps.
  const props = { ...parseProps(drop.props), ...parseProps(keep.props) };
  const kept = {
    id: keep.id,
    props: JSON.stringify(props),
    search: searchText(props, keep.label),
    reports: [...new Set([...keep.reports, ...drop.reports])],
    imports: [...new Set([...keep.imports, ...drop.imports])],
    // One entity now, in every operation either was in: each keeps what it wrote of either.
    ops: [...new Set([...keep.ops, ...drop.ops])],
    opProps: mergeOpProps(keep.opProps, drop.opProps),
    updatedAt: now,
  };
  await tx.run('entities-update', { rows: [kept] });
  for (const op of drop.ops)
    if (!keep.ops.includes(op)) await recordSharedSubjects(tx, op, [keep.id], now, ctx.actor);
  const record = {
    id: String(n),
    n,
    keptId: keep.id,
    mergedId: drop.id,
    actor: ctx.actor,
    at: now,
    undone: false,
  };
  await tx.run('merge-finish', {
    keep: keep.id,
    drop: drop.id,
    type: drop.type,
    key: drop.key,
    merge: { ...record, snapshot: JSON.stringify(snap) },
  });
  st.bump();
  return String(n);
}

/** The merge to undo: it exists, is not undone, is the latest on its entity, and that entity still exists. */
async function undoableMerge(tx: Tx, mergeId: string): Promise<MergeSnapshot> {
  const r = parsePlainId(mergeId) === null ? undefined : await tx.one('merge-by-id', { id: mergeId });
  if (!r) throw new StoreError('not_found', `merge ${JSON.stringify(mergeId)} does not exist`, ['mergeId']);
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
    throw new StoreError('conflict', `entity ${m.keptId} was deleted after merge ${mergeId}`, ['mergeId']);
  }
  return JSON.parse(m.snapshot) as MergeSnapshot;
}

/** Grading codes of the snapshot's reports that still exist: a report deleted since the merge stays deleted. */
async function liveReports(tx: Tx, snap: MergeSnapshot): Promise<Map<string, string>> {
  const all = new Set<string>([
    ...snap.keep.reports,
    ...snap.drop.reports,
    ...snap.links.flatMap((l) => l.reports ?? []),
  ]);
  if (all.size === 0) return new Map();
  return new Map(
    (await tx.run('report-grades', { ids: [...all], ops: null })).map((x) => [
      x.id as string,
      x.grade as string,
    ]),
  );
}

/** Both entities as they were, less reports deleted since. */
async function restoreEntities(tx: Tx, mergeId: string, snap: MergeSnapshot, live: Map<string, string>) {
  const { aliases, ...dropNode } = snap.drop;
  await tx.run('entities-create', {
    rows: [{ ...dropNode, reports: dropNode.reports.filter((x) => live.has(x)) }],
  });
  const k = snap.keep;
  const kept = {
    id: k.id,
    label: k.label,
    props: k.props,
    search: k.search,
    reviewDate: k.reviewDate ?? null,
    updatedAt: k.updatedAt,
    reports: k.reports.filter((x) => live.has(x)),
    imports: k.imports,
    // Its operations as they were (a snapshot from before operations has none: left as they are).
    ...(k.ops ? { ops: k.ops, opProps: k.opProps } : {}),
  };
  await tx.run('entities-update', { rows: [kept] });
  await tx.run('unmerge-aliases', { merge: mergeId, drop: snap.drop.id, aliases });
}

/** The snapshot's links as they were, where both ends still exist, less reports deleted since. */
async function restoreLinks(tx: Tx, snap: MergeSnapshot, live: Map<string, string>) {
  await tx.run('links-delete-on', { id: snap.keep.id, ids: snap.links.map((l) => l.id) });
  const endIds = [...new Set(snap.links.flatMap((l) => [l.from, l.to]))];
  const ends = new Set(
    (await tx.run('entity-types-by-id', { ids: endIds, ops: null })).map((x) => x.id as string),
  );
  const restore = snap.links
    .filter((l) => ends.has(l.from) && ends.has(l.to))
    .map((l) => {
      const reports = (l.reports ?? []).filter((x) => live.has(x));
      const rel: LinkRel = { ...l, reports, grades: [...new Set(reports.map((x) => live.get(x)!))] };
      return { from: l.from, to: l.to, type: l.type, props: relProps(rel) };
    });
  if (restore.length) await tx.run('links-create', { rows: restore });
}

export async function unmerge(c: Neo4jContext, mergeId: string): Promise<void> {
  await c.write((tx, st) => unmergeIn(tx, st, mergeId));
}

/** The unmerge inside the caller's write transaction (the duplicate queue's undo). */
export async function unmergeIn(tx: Tx, st: State, mergeId: string): Promise<void> {
  const snap = await undoableMerge(tx, mergeId);
  const live = await liveReports(tx, snap);
  await restoreEntities(tx, mergeId, snap, live);
  await restoreLinks(tx, snap, live);
  await tx.run('annotations-retarget', { ids: snap.annotations, to: snap.drop.id });
  await tx.run('merge-undone', { id: mergeId });
  st.bump();
}

export async function listMerges(
  c: Neo4jContext,
  opts: ListOptions = {},
  ops: string[] | null = null,
): Promise<Page<MergeRecord>> {
  return c.keyedPage('merges', opts, MERGE_KEY, { ops }, 'm', toMergeRecord);
}

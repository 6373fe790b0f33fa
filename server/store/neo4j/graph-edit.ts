// Edits of single graph facts on Neo4j: entity and link patches, deletes, and a report's removal (retention
// disposal) with what rests on it alone. Each is one write transaction that moves the data version if it
// changed anything.
import { z } from 'zod';
import type { Report, WriteContext } from '../../domain/model.ts';
import { reportInputSchema } from '../../domain/model.ts';
import { normaliseName } from '../../domain/normalise.ts';
import type { EntityPatch, FactRemoval, LinkPatch } from '../graph-store.ts';
import { sharedEntityEdit, sharedLinkEdit, unreadableHolders } from '../shared/shared-facts.ts';
import { dateMs, searchText } from '../shared/values.ts';
import { entityPatchSchema, invalid, linkPatchSchema, parseOr } from '../shared/validate.ts';
import { lockEntities, lockWithNeighbours, type Neo4jContext } from './context.ts';
import { deleteEventsOfLinks, dropReportEvents, linksWithEvents, recomputeLinks } from './events.ts';
import type { Tx } from './executor.ts';
import { gradesOf, loadEntity, loadLink, loadReport } from './graph-load.ts';
import { num, parseProps, seen, toReport, type LinkRel, type ReportNode } from './rows.ts';
import { recordSharedSubjects } from './deconfliction.ts';
import { joinOp, unionProps, withOpProps } from './op-membership.ts';
import { writeOperation } from './operations.ts';
import { removeEntityFrom, removeLinkFrom } from './op-removal.ts';

/** Reports by ref; a report of an operation the writer cannot read is one that does not exist. */
async function reportsForRefs(
  tx: Tx,
  refs: string[],
  at: (string | number)[],
  ctx: WriteContext,
): Promise<ReportNode[]> {
  if (refs.length === 0) return [];
  const found = new Map<string, ReportNode>();
  for (const r of await tx.run('reports-by-ref', { refs })) {
    const rep = r.r as ReportNode;
    if (unreadableHolders([rep.op], ctx).length === 0) found.set(rep.ref, rep);
  }
  return refs.map((ref, j) => {
    const r = found.get(ref);
    if (!r) throw invalid([...at, j], `report ${JSON.stringify(ref)} does not exist`);
    return r;
  });
}

/** A fact's report ids after a patch's addReports and removeReports, and whether they changed. */
async function patchReports(
  tx: Tx,
  current: string[],
  p: { addReports?: string[]; removeReports?: string[] },
  ctx: WriteContext,
): Promise<{ reports: string[]; changed: boolean }> {
  const add = await reportsForRefs(tx, p.addReports ?? [], ['addReports'], ctx);
  const remove = await reportsForRefs(tx, p.removeReports ?? [], ['removeReports'], ctx);
  let reports = current;
  let changed = false;
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
  return { reports, changed };
}

/**
 * An entity edited in operation `ctx.operationId` joins it (deconfliction notes a subject now shared); new
 * properties replace what that operation holds of it, and the whole entity's (what the system reads) with it.
 */
export async function updateEntity(
  c: Neo4jContext,
  id: string,
  patch: EntityPatch,
  ctx: WriteContext,
): Promise<void> {
  const p = parseOr(entityPatchSchema, patch, []);
  await c.write(async (tx, st) => {
    const op = await writeOperation(tx, ctx);
    await lockEntities(tx, [id]);
    const row = await loadEntity(tx, id);
    const label = p.label !== undefined ? normaliseName(p.label) : row.label;
    const joined = joinOp(row, op);
    const opProps =
      p.properties !== undefined ? withOpProps(row.opProps, op, p.properties, true) : row.opProps;
    // What other operations hold of it stays in the whole entity; this operation's edit wins where they differ.
    const props = p.properties !== undefined ? JSON.stringify(unionProps(opProps, row.ops, op)) : row.props;
    const review = p.reviewDate !== undefined ? p.reviewDate : (row.reviewDate ?? null);
    // The name and review date are the entity's in every operation: changed only by a writer who reads them all.
    const hidden = unreadableHolders(row.ops, ctx).length > 0;
    if (hidden && label !== row.label) throw sharedEntityEdit(id, 'label');
    if (hidden && review !== (row.reviewDate ?? null)) throw sharedEntityEdit(id, 'reviewDate');
    const { reports, changed } = await patchReports(tx, row.reports, p, ctx);
    if (
      !changed &&
      !joined &&
      label === row.label &&
      props === row.props &&
      opProps === row.opProps &&
      review === (row.reviewDate ?? null)
    )
      return;
    const now = new Date().toISOString();
    await tx.run('entities-update', {
      rows: [
        {
          id: row.id,
          label,
          props,
          opProps,
          ops: row.ops,
          search: searchText(parseProps(props), label),
          reviewDate: review,
          reports,
          updatedAt: now,
        },
      ],
    });
    if (joined) await recordSharedSubjects(tx, op, [row.id], now, ctx.actor);
    st.bump();
  });
}

/** A link edited in operation `ctx.operationId` joins it. */
export async function updateLink(
  c: Neo4jContext,
  id: string,
  patch: LinkPatch,
  ctx: WriteContext,
): Promise<void> {
  const p = parseOr(linkPatchSchema, patch, []);
  await c.write(async (tx, st) => {
    const op = await writeOperation(tx, ctx);
    const ends = await loadLink(tx, id);
    await lockEntities(tx, [ends.from, ends.to]);
    const row = await loadLink(tx, id);
    const weight = p.weight ?? row.weight;
    const first = p.firstSeen !== undefined ? p.firstSeen : (row.firstSeen ?? null);
    const last = p.lastSeen !== undefined ? p.lastSeen : (row.lastSeen ?? null);
    if (first && last && dateMs(first) > dateMs(last, true)) {
      throw invalid(['lastSeen'], `lastSeen ${last} is before firstSeen ${first}`);
    }
    const props = p.properties !== undefined ? JSON.stringify(p.properties) : row.props;
    const same =
      weight === row.weight &&
      first === (row.firstSeen ?? null) &&
      last === (row.lastSeen ?? null) &&
      props === row.props;
    // A link keeps one weight, one pair of dates and one set of properties for every operation holding it.
    if (!same && unreadableHolders(row.ops, ctx).length) throw sharedLinkEdit(id);
    const { reports, changed } = await patchReports(tx, row.reports, p, ctx);
    const joined = joinOp(row, op);
    if (!changed && same && !joined) return;
    const grades = await gradesOf(tx, reports);
    const fields = {
      ops: row.ops,
      weight,
      ...seen(first, last),
      props,
      reports,
      grades,
      updatedAt: new Date().toISOString(),
    };
    await tx.run('links-update', { rows: [{ from: row.from, to: row.to, id: row.id, props: fields }] });
    st.bump();
  });
}

/** Deletes the entity in the working operation (op-removal.ts: only that operation's part when others hold it). */
export async function deleteEntity(c: Neo4jContext, id: string, ctx: WriteContext): Promise<FactRemoval> {
  return c.write(async (tx, st) => {
    const op = await writeOperation(tx, ctx);
    // Its neighbours locked first: a batch writing a link to it cannot interleave with the removal.
    await lockWithNeighbours(tx, [id]);
    const done = await removeEntityFrom(tx, await loadEntity(tx, id), op, ctx.actor);
    st.bump();
    return done;
  });
}

export async function deleteLink(c: Neo4jContext, id: string, ctx: WriteContext): Promise<FactRemoval> {
  return c.write(async (tx, st) => {
    const op = await writeOperation(tx, ctx);
    const done = await removeLinkFrom(tx, await loadLink(tx, id), op);
    st.bump();
    return done;
  });
}

/** Links that keep other reports lose this one and its grading. */
async function dropReportFromLinks(tx: Tx, reportId: string, links: LinkRel[]): Promise<void> {
  if (links.length === 0) return;
  const rows = [];
  for (const l of links) {
    const reports = (l.reports ?? []).filter((x) => x !== reportId);
    rows.push({ from: l.from, to: l.to, id: l.id, props: { reports, grades: await gradesOf(tx, reports) } });
  }
  await tx.run('links-update', { rows });
}

/** Removes a report; entities and links that rested on nothing else are removed too (retention disposal). */
export async function deleteReport(
  c: Neo4jContext,
  id: string,
): Promise<{ entities: string[]; links: string[] }> {
  return c.write(async (tx, st) => {
    const rep = await loadReport(tx, id);
    // What rests on this report alone goes with it; links of a removed entity go too.
    const r = (await tx.one('report-dependants', { id: rep.id }))!;
    const soleEntities = (r.soleEntities as string[]).sort((a, b) => num(a) - num(b));
    // A link whose calls or reads came from this report keeps those other sources gave it; counts follow.
    const evented = await dropReportEvents(tx, rep.id);
    const stillEvented = await linksWithEvents(tx, evented);
    const soleLinks = (r.soleLinks as string[]).filter((l) => !stillEvented.has(l));
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
    const gone = new Set(removedLinks);
    await dropReportFromLinks(
      tx,
      rep.id,
      affectedAll.filter((l) => !gone.has(l.id)),
    );
    await tx.run('entities-drop-report', { id: rep.id });
    await deleteEventsOfLinks(tx, removedLinks);
    await recomputeLinks(
      tx,
      [...stillEvented].filter((l) => !gone.has(l)),
      new Date().toISOString(),
    );
    st.bump();
    return { entities: soleEntities, links: removedLinks };
  });
}

export async function setReportReviewDate(c: Neo4jContext, id: string, reviewDate: string): Promise<Report> {
  const date = parseOr(z.object({ reviewDate: reportInputSchema.shape.date }), { reviewDate }, []).reviewDate;
  return c.write(async (tx, st) => {
    const rep = await loadReport(tx, id);
    if ((rep.reviewDate ?? null) === date) return toReport(rep);
    await tx.run('report-set-review', { id: rep.id, reviewDate: date });
    st.bump();
    return toReport({ ...rep, reviewDate: date });
  });
}

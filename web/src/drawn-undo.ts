// The store half of undoing a drawing (history.ts StoreRecord): undo deletes a drawn entity or link from the
// store through the store's own delete routes (audited like any delete), redo writes it again; when it cannot
// go (it was in the store before the drawing, or others have linked to it since) it stays and the message
// says so. Kept apart from drawing.ts so the undo in actions.ts can use it without a cycle.
import { ApiError, api, request } from './api/client.ts';
import type { EdgeSnapshot, StoreRecord } from './state/history.ts';

/** What POST /api/batch answers, as far as drawing needs it. */
interface BatchResult {
  entityIds: string[];
  linkIds: string[];
  entities: { created: number };
  links: { created: number };
}

export const writeBatch = (batch: unknown) => request<BatchResult>('POST', '/api/batch', batch);

/** What undo did in the store with a drawn entity or link. */
export interface StoreUndo {
  status: 'deleted' | 'kept';
  /** For the notice: what happened, in the analyst's words. */
  message: string;
}

/**
 * Undo of a drawing: deletes the drawn entity or link from the store, unless the drawing did not create it
 * or others have linked to it since; then it stays, and the message says why.
 */
export async function takeOutOfStore(rec: StoreRecord, label: string): Promise<StoreUndo> {
  const what = rec.kind === 'entity' ? `“${label}”` : `the ${label} link`;
  if (!rec.created)
    return {
      status: 'kept',
      message: `${what} is off the chart but stays in the store: it was there before you drew it (your report stays on it)`,
    };
  if (rec.kind === 'entity') {
    const nb = await api.neighbourhood({ seeds: [rec.id], hops: 1, limit: 2000 });
    if (nb.links.length)
      return {
        status: 'kept',
        message:
          `${what} is off the chart but stays in the store: it has since gained ${nb.links.length} ` +
          `link${nb.links.length > 1 ? 's' : ''} from others. Delete it from the store yourself if it must go`,
      };
  }
  try {
    if (rec.kind === 'entity') await api.deleteEntity(rec.id);
    else await api.deleteLink(rec.id);
  } catch (e) {
    // Someone deleted it meanwhile: what undo wanted is done.
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  return { status: 'deleted', message: `${what} was deleted from the store` };
}

/**
 * Redo of a drawing undo deleted: writes it again (with the report it rested on). The store gives it a new
 * id; the caller renames the old one everywhere. `edge` gives a link its ends as the chart has them now.
 */
export async function putBackInStore(rec: StoreRecord, edge?: EdgeSnapshot): Promise<StoreRecord> {
  const reports = [rec.report];
  const ref = String(rec.report.ref);
  if (rec.kind === 'entity') {
    const res = await writeBatch({ reports, entities: [{ ...rec.input, reports: [ref] }] });
    return { ...rec, id: res.entityIds[0], created: res.entities.created > 0, status: 'in-store' };
  }
  if (!edge) throw new Error('the link to write again has no ends on the chart');
  const res = await writeBatch({
    reports,
    links: [{ ...rec.input, from: { id: edge.source }, to: { id: edge.target }, reports: [ref] }],
  });
  return { ...rec, id: res.linkIds[0], created: res.links.created > 0, status: 'in-store' };
}

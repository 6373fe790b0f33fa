// Handling codes in force. An export or briefing that carries C-coded intelligence carries its
// conditions, and the exporter must confirm them and say why and to whom the material goes; the
// confirmation lands in the audit record of the export (request.audit, written by the audit hook).
//
// One function decides whether C-coded intelligence lies behind a disclosure: assessDisclosure, from
// everything the output will carry (the entities and links it names or draws, the reports behind each,
// and whatever it derives from them: a review section's windows, a top table's rows). Every export route
// (data exports, the PDF briefing) asks it, then authoriseDisclosure: 428 without the confirmation, and
// the audit record names the format, the ids carried, the source and the confirmation. The PDF's sentence
// about C-coded intelligence is the same answer's `statement`.
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Report } from '../domain/model.ts';
import { ApiError } from '../api-types/errors.ts';
import type { GraphStore } from '../store/graph-store.ts';
import type { DisclosureAudit } from './audit.ts';
import type { KeptIdList } from './audit-export-ids.ts';

/** What an export request adds when it includes C-coded reports (and may add for any disclosure). */
export const handlingConfirmationSchema = z.object({
  /** The exporter has read the conditions and will pass them on with the material. */
  confirmConditions: z.literal(true, {
    error: 'confirmConditions must be true to export C-coded intelligence',
  }),
  justification: z
    .string()
    .trim()
    .min(10, 'justification: say why this disclosure is necessary (at least 10 characters)')
    .max(2000),
  recipient: z.string().trim().min(2, 'recipient: name who receives the material').max(500),
});
export type HandlingConfirmation = z.infer<typeof handlingConfirmationSchema>;

export interface HandlingConditions {
  ref: string;
  conditions: string;
}

/** The C-coded reports among `reports`, with the conditions an export must carry. */
export function conditionsToCarry(
  reports: Iterable<Pick<Report, 'ref' | 'handling' | 'conditions'>>,
): HandlingConditions[] {
  const seen = new Map<string, HandlingConditions>();
  for (const r of reports)
    if (r.handling === 'C' && !seen.has(r.ref))
      seen.set(r.ref, { ref: r.ref, conditions: r.conditions ?? '' });
  return [...seen.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** 428 Precondition Required: the route's error handler sends it with each ref's conditions in `details`. */
export class HandlingError extends ApiError {
  constructor(
    message: string,
    readonly conditions: HandlingConditions[],
  ) {
    super(428, 'handling_confirmation_required', message, {
      details: conditions.map((c) => ({ message: `${c.ref}: ${c.conditions}` })),
    });
  }
}

/**
 * Call from an export or briefing route with every report the output rests on and the request's
 * `handling` field. Throws HandlingError (428) naming the C-coded refs when the confirmation is missing
 * or incomplete; otherwise records justification, recipient and refs for the audit and returns the
 * conditions the output must print.
 */
export function enforceHandling(
  request: FastifyRequest,
  reports: Iterable<Pick<Report, 'ref' | 'handling' | 'conditions'>>,
  confirmation: unknown,
): HandlingConditions[] {
  const conditions = conditionsToCarry(reports);
  const parsed = confirmation === undefined ? null : handlingConfirmationSchema.safeParse(confirmation);
  if (conditions.length > 0 && !parsed?.success) {
    const refs = conditions.map((c) => c.ref).join(', ');
    const why = parsed && !parsed.success ? `: ${parsed.error.issues.map((i) => i.message).join('; ')}` : '';
    throw new HandlingError(
      `this output includes C-coded intelligence (${refs}); send handling: { confirmConditions: true, justification, recipient }${why}`,
      conditions,
    );
  }
  const audit = request.audit;
  if (audit) {
    if (parsed?.success) {
      audit.justification = parsed.data.justification;
      audit.recipient = parsed.data.recipient;
    }
    audit.details.handlingC = conditions.map((c) => c.ref);
  }
  return conditions;
}

/**
 * The confirmation a request carries: body `handling: {...}`, or top-level body fields, or (for GET
 * downloads) query parameters confirmConditions=true&justification=...&recipient=.... Read from the raw
 * request, because route schemas drop fields they do not declare.
 */
export function confirmationFromRequest(request: FastifyRequest): unknown {
  const raw = request.audit?.rawBody ?? request.body;
  if (raw && typeof raw === 'object') {
    const b = raw as Record<string, unknown>;
    if (b.handling !== undefined && typeof b.handling === 'object') return b.handling;
    if (b.confirmConditions !== undefined)
      return {
        confirmConditions: b.confirmConditions,
        justification: b.justification,
        recipient: b.recipient,
      };
  }
  const q = new URL(request.url, 'http://x').searchParams;
  if (q.has('confirmConditions'))
    return {
      confirmConditions: q.get('confirmConditions') === 'true',
      justification: q.get('justification') ?? undefined,
      recipient: q.get('recipient') ?? undefined,
    };
  return undefined;
}

/** What a disclosure check needs to know of a report. */
export type ReportMark = Pick<Report, 'id' | 'ref' | 'handling' | 'conditions'>;

/** An entity or link already read with the reports behind it (an export has them; nothing is read twice). */
export interface CarriedItem {
  id: string;
  reports: ReportMark[];
}

/** Everything an output will carry. Ids are read from the graph; CarriedItems are taken as they are. */
export interface DisclosureContent {
  /** Entities the output names, draws, ranks or derives a figure from. */
  entities?: Iterable<string | CarriedItem>;
  /** Links the output draws or derives a figure from. */
  links?: Iterable<string | CarriedItem>;
  /** Reports the output cites directly, by id or reference. */
  reports?: Iterable<string>;
}

/** The answer: what the output carries, and whether C-coded intelligence lies behind it. */
export interface Disclosure {
  /** Sorted, unique; only ids the store knows (an unknown id carries nothing). */
  entityIds: string[];
  linkIds: string[];
  /** Every report behind the carried entities and links, and those cited directly, by id. */
  reportIds: string[];
  /** The C-coded reports among them, by reference, with the conditions the output must carry. */
  conditions: HandlingConditions[];
  /** Entities and links resting on at least one C-coded report. */
  conditionalItems: number;
  cCoded: boolean;
  /** The sentence the output prints about handling code C (the PDF briefing, an export's record). */
  statement: string;
  /** Set when the id lists were written beside the audit record (they are empty here then). */
  kept?: KeptIdList;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The decision, from items already resolved to their reports. Pure: assessDisclosure reads the graph and
 * hands its result here; `what` names the output in the statement ("briefing", "export").
 */
export function judgeDisclosure(
  resolved: { entities: CarriedItem[]; links: CarriedItem[]; reports: ReportMark[] },
  what = 'output',
): Disclosure {
  const reports = new Map<string, ReportMark>();
  let conditionalItems = 0;
  const entityIds = new Set<string>();
  const linkIds = new Set<string>();
  const take = (items: CarriedItem[], into: Set<string>) => {
    for (const item of items) {
      if (into.has(item.id)) continue;
      into.add(item.id);
      let c = false;
      for (const r of item.reports) {
        reports.set(r.id, r);
        if (r.handling === 'C') c = true;
      }
      if (c) conditionalItems++;
    }
  };
  take(resolved.entities, entityIds);
  take(resolved.links, linkIds);
  for (const r of resolved.reports) reports.set(r.id, r);
  const conditions = conditionsToCarry(reports.values());
  const cCoded = conditions.length > 0;
  // The sentence names the first refs; the conditions that follow it name every one.
  const refs = conditions.slice(0, 20).map((c) => c.ref);
  if (conditions.length > refs.length) refs.push(`and ${conditions.length - refs.length} more`);
  const statement = cCoded
    ? `This ${what} rests in part on intelligence with handling code C (${conditions.length} report${
        conditions.length === 1 ? '' : 's'
      }: ${refs.join(', ')}); share it only under the conditions of each.`
    : `No intelligence behind this ${what} carries handling code C.`;
  return {
    entityIds: [...entityIds].sort(byString),
    linkIds: [...linkIds].sort(byString),
    reportIds: [...reports.keys()].sort(byString),
    conditions,
    conditionalItems,
    cCoded,
    statement,
  };
}

/** How many store reads run at once while resolving ids (bounded: a Neo4j read is a session each). */
const READ_CONCURRENCY = 32;

async function resolveAll<T>(ids: string[], read: (id: string) => Promise<T | null>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
    const got = await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map(read));
    for (const g of got) if (g !== null) out.push(g);
  }
  return out;
}

function split(items: Iterable<string | CarriedItem> | undefined): { ids: string[]; loaded: CarriedItem[] } {
  const ids = new Set<string>();
  const loaded: CarriedItem[] = [];
  for (const x of items ?? []) {
    if (typeof x === 'string') ids.add(x);
    else loaded.push(x);
  }
  for (const l of loaded) ids.delete(l.id);
  return { ids: [...ids], loaded };
}

const mark = (r: Report): ReportMark => ({
  id: r.id,
  ref: r.ref,
  handling: r.handling,
  conditions: r.conditions,
});

/**
 * THE disclosure check: whether C-coded intelligence lies behind an output, from everything it will
 * carry. Reads each entity and link named by id with the reports behind it (items given already loaded
 * are not read again), then judges (judgeDisclosure).
 */
export async function assessDisclosure(
  graph: Pick<GraphStore, 'getEntity' | 'getLink' | 'getReport'>,
  content: DisclosureContent,
  what = 'output',
): Promise<Disclosure> {
  const e = split(content.entities);
  const l = split(content.links);
  const toItem = (d: { id: string; reports: Report[] }): CarriedItem => ({
    id: d.id,
    reports: d.reports.map(mark),
  });
  const entities = [...e.loaded, ...(await resolveAll(e.ids, (id) => graph.getEntity(id))).map(toItem)];
  const links = [...l.loaded, ...(await resolveAll(l.ids, (id) => graph.getLink(id))).map(toItem)];
  const reports = (await resolveAll([...new Set(content.reports ?? [])], (r) => graph.getReport(r))).map(
    mark,
  );
  return judgeDisclosure({ entities, links, reports }, what);
}

/** What the audit record says an output came from, and what it is. */
export interface DisclosureMeta {
  /** e.g. 'csv', 'graphml', 'briefing-pdf'. */
  format: string;
  /** The chart or view it came from: { kind: 'chart', chartId, chartName } or { kind: 'view', filter } ... */
  source: Record<string, unknown>;
}

/**
 * The gate every export route passes once it knows what it will send (assessDisclosure): notes the
 * disclosure for the audit record (format, source, ids carried, the C-coded refs, the confirmation given),
 * then throws HandlingError (428, with each C-coded report's conditions) when C-coded intelligence lies
 * behind it and the request carries no complete confirmation. Returns the conditions the output prints.
 */
export function authoriseDisclosure(
  request: FastifyRequest,
  disclosure: Disclosure,
  meta: DisclosureMeta,
): HandlingConditions[] {
  const confirmation = confirmationFromRequest(request);
  const parsed = confirmation === undefined ? null : handlingConfirmationSchema.safeParse(confirmation);
  if (request.audit) {
    const record: DisclosureAudit = {
      format: meta.format,
      source: meta.source,
      entityIds: disclosure.entityIds,
      linkIds: disclosure.linkIds,
      reportIds: disclosure.reportIds,
      handlingC: disclosure.conditions.map((c) => c.ref),
      confirmation: parsed?.success ? parsed.data : null,
      ...(disclosure.kept ? { kept: disclosure.kept } : {}),
    };
    request.audit.disclosure = record;
  }
  return enforceHandling(
    request,
    disclosure.conditions.map((c) => ({ ref: c.ref, handling: 'C' as const, conditions: c.conditions })),
    confirmation,
  );
}

/**
 * For callers that hold items with a handling marking (server/export/collect.ts ExportNode and ExportLink):
 * the C-coded reports behind them, through assessDisclosure, and the confirmation enforced.
 */
export async function enforceExportHandling(
  request: FastifyRequest,
  graph: Pick<GraphStore, 'getEntity' | 'getLink' | 'getReport'>,
  items: Iterable<{ handling: 'P' | 'C' | null; reports: string[] }>,
): Promise<HandlingConditions[]> {
  const refs = new Set<string>();
  for (const i of items) if (i.handling === 'C') for (const r of i.reports) refs.add(r);
  const d = await assessDisclosure(graph, { reports: refs });
  return enforceHandling(
    request,
    d.conditions.map((c) => ({ ref: c.ref, handling: 'C' as const, conditions: c.conditions })),
    confirmationFromRequest(request),
  );
}

// Handling codes in force. An export or briefing that carries C-coded intelligence carries its
// conditions, and the exporter must confirm them and say why and to whom the material goes; the
// confirmation lands in the audit record of the export (request.audit, written by the audit hook).
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Report } from '../domain/model.ts';
import { ApiError } from '../api-types/errors.ts';
import type { GraphStore } from '../store/graph-store.ts';

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

/**
 * For export routes that gather items with a handling marking (server/export/collect.ts ExportNode and
 * ExportLink): looks up the C-coded reports behind them and enforces the confirmation. One call after
 * collecting, before writing the file.
 */
export async function enforceExportHandling(
  request: FastifyRequest,
  graph: Pick<GraphStore, 'getReport'>,
  items: Iterable<{ handling: 'P' | 'C' | null; reports: string[] }>,
): Promise<HandlingConditions[]> {
  const refs = new Set<string>();
  for (const i of items) if (i.handling === 'C') for (const r of i.reports) refs.add(r);
  const reports = (await Promise.all([...refs].map((r) => graph.getReport(r)))).filter(
    (r): r is Report => r !== null,
  );
  return enforceHandling(request, reports, confirmationFromRequest(request));
}

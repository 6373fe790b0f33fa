// The audit hook's rules: which requests are audited under which action, and what each record holds.
// DPA 2018 s.62 asks for collection, alteration, consultation, disclosure and erasure, each with who,
// when and (for disclosure) why and to whom; CJIS adds failed logons and denied access. So every
// request to a route that touches intelligence is recorded, whatever its outcome, before the response
// leaves: if the record cannot be written the caller gets a 500, not the data.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditInput } from '../domain/model.ts';
import type { Permission } from './permissions.ts';
import { digestOf, idLines, type KeptIdList } from './audit-export-ids.ts';

/**
 * What an export or a briefing disclosed, as the route's disclosure check found it (handling.ts
 * authoriseDisclosure). The record names all of it: the format, the chart or view it came from, every
 * entity, link and report id it carried, the C-coded references among the reports, and the confirmation.
 */
export interface DisclosureAudit {
  format: string;
  source: Record<string, unknown>;
  entityIds: string[];
  linkIds: string[];
  reportIds: string[];
  /** References of the C-coded reports behind it. */
  handlingC: string[];
  /** The confirmation the request carried, when complete; null otherwise. */
  confirmation: { confirmConditions: true; justification: string; recipient: string } | null;
  /** Set when the lists were kept beside the record (audit-export-ids.ts); the id lists are empty then. */
  kept?: KeptIdList;
}

export interface AuditContext {
  /** Overrides the action inferred from the route. */
  action?: string;
  /** Overrides the actor (login records the name that was tried). */
  actor?: string;
  objectIds: string[];
  /** Overrides the outcome read from the status (a failed sign-in is 'failed', not 'denied'). */
  outcome?: AuditInput['outcome'];
  justification?: string;
  recipient?: string;
  /** Justification/recipient as the raw body carried them (schemas may strip unknown fields). */
  disclosed?: { justification?: string; recipient?: string };
  /** The request body as sent, before schema validation (for the handling-code check on exports). */
  rawBody?: unknown;
  /** Set by an export route's disclosure check: what the output carried (see disclosureDetails). */
  disclosure?: DisclosureAudit;
  details: Record<string, unknown>;
  /**
   * The request's working operations, noted by routes/context.ts as the route settles them: the one a
   * change is made in, else the ones it read. Unset: the ones the request named, if any.
   */
  operations?: string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Audit action for this route; false: never audited (health, static files, whoami). */
    audit?: string | false;
  }
  interface FastifyRequest {
    audit: AuditContext;
  }
}

// The list lives with the domain so the web app's audit screen can name every one (audit-actions.ts).
export { AUDIT_ACTIONS, type AuditAction } from '../domain/audit-actions.ts';

/** The action a route is audited under when it does not name one; null: not audited. */
export function inferAction(access: Permission | undefined, method: string, url: string): string | null {
  const m = method.toUpperCase();
  if (m === 'HEAD' || m === 'OPTIONS') return null;
  const write = m !== 'GET';
  switch (access) {
    case undefined:
    case 'public':
    case 'session':
      return null;
    case 'graph:read':
      if (/search/i.test(url)) return 'search';
      if (/neighbo|expand|path|subgraph/i.test(url)) return 'expand';
      return 'read';
    case 'analysis:run':
      return 'analysis';
    case 'import:run':
      return write ? 'import' : 'read';
    case 'export:run':
      return 'export';
    case 'audit:read':
      return /export/i.test(url) ? 'audit.export' : 'audit.read';
    case 'retention:review':
      return write ? (/dispose/i.test(url) ? 'retention.dispose' : 'retention.retain') : 'retention.read';
    case 'users:manage':
    case 'users:admin':
      return write ? 'users.change' : 'users.read';
    default:
      // graph:write, annotations:write, charts:write, targets:*: reads through them are still consultation.
      return m === 'DELETE' ? 'delete' : write ? 'change' : 'read';
  }
}

/** The action this request is audited under, or null. */
export function actionFor(request: FastifyRequest): string | null {
  const config = request.routeOptions.config;
  if (request.audit.action) return request.audit.action;
  if (config?.audit === false) return null;
  if (typeof config?.audit === 'string') return config.audit;
  return inferAction(config?.access, request.method, request.routeOptions.url ?? request.url);
}

export function outcomeFor(status: number): AuditInput['outcome'] {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403 || status === 428 || status === 429) return 'denied';
  if (status >= 500) return 'error';
  return 'failed';
}

const MAX_IDS = 1000;

function addId(out: Set<string>, v: unknown): void {
  if (out.size < MAX_IDS && typeof v === 'string' && v.length > 0 && v.length <= 200) out.add(v);
}

/**
 * The ids a response shows the caller: consultation is "who looked at what", so a list or a search
 * records what it returned, not only what was asked for. Knows the shapes the API returns (an object
 * with id; items, hits, nodes, links, entities, paths arrays).
 */
export function idsInPayload(payload: unknown, out: Set<string> = new Set()): Set<string> {
  if (!payload || typeof payload !== 'object') return out;
  const o = payload as Record<string, unknown>;
  if (Array.isArray(payload)) {
    for (const v of payload) idsInPayload(v, out);
    return out;
  }
  addId(out, o.id);
  for (const k of ['entity', 'link', 'report', 'user', 'chart', 'target']) {
    const v = o[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) addId(out, (v as Record<string, unknown>).id);
  }
  for (const k of ['items', 'hits', 'nodes', 'links', 'entities', 'reports', 'results']) {
    const arr = o[k];
    if (Array.isArray(arr))
      for (const v of arr) {
        if (out.size >= MAX_IDS) break;
        if (typeof v === 'string') addId(out, v);
        else if (v && typeof v === 'object') {
          const vo = v as Record<string, unknown>;
          addId(out, vo.id);
          if (vo.entity && typeof vo.entity === 'object')
            addId(out, (vo.entity as Record<string, unknown>).id);
        }
      }
  }
  return out;
}

function clip(v: unknown): unknown {
  if (typeof v === 'string') return v.length > 500 ? `${v.slice(0, 500)}...` : v;
  if (Array.isArray(v)) return v.slice(0, 50).map(clip);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .slice(0, 50)
        .map(([k, x]) => [k, clip(x)]),
    );
  return v;
}

/** Fields a request body may carry for a disclosure (top level, or inside `handling`). */
export function disclosureFields(body: unknown): { justification?: string; recipient?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const h = (b.handling && typeof b.handling === 'object' ? b.handling : {}) as Record<string, unknown>;
  const pick = (k: string): string | undefined => {
    const v = b[k] ?? h[k];
    return typeof v === 'string' && v.trim() ? v.trim().slice(0, 2000) : undefined;
  };
  return { justification: pick('justification'), recipient: pick('recipient') };
}

/** Default of LINKCHART_AUDIT_EXPORT_IDS (server/config.ts limits.auditExportIds). */
export const DEFAULT_AUDIT_EXPORT_IDS = 1000;

/**
 * SHA-256 over the sorted, kind-prefixed id list ("entity:e1\nlink:l2\nreport:r3", one a line), so
 * two disclosures of the same things have the same digest whatever order they were sent in.
 */
export function disclosureDigest(d: Pick<DisclosureAudit, 'entityIds' | 'linkIds' | 'reportIds'>): string {
  return digestOf(idLines(d).join('\n'));
}

/**
 * The record's part for a disclosure: details.disclosure holds the format, the source, the complete
 * entity, link and report id lists (inside the chained record, so the chain covers them), their digest,
 * the C-coded refs and the confirmation; objectIds holds the chart id and every carried id while they
 * number at most `limit`, and past that the digest in their place (the lists stay in details).
 */
export function disclosureDetails(
  d: DisclosureAudit,
  limit = DEFAULT_AUDIT_EXPORT_IDS,
): { details: Record<string, unknown>; objectIds: string[] } {
  const chartId = typeof d.source.chartId === 'string' ? [d.source.chartId] : [];
  if (d.kept) {
    // The lists are in the file named by the digest; the chain covers the digest, so it covers them.
    return {
      details: {
        format: d.format,
        source: clip(d.source),
        counts: d.kept.counts,
        digest: d.kept.digest,
        idList: 'kept',
        idsInObjectIds: false,
        handlingC: d.handlingC,
        confirmation: d.confirmation,
      },
      objectIds: [...chartId, d.kept.digest],
    };
  }
  const digest = disclosureDigest(d);
  const total = d.entityIds.length + d.linkIds.length + d.reportIds.length;
  const inline = total <= limit;
  return {
    details: {
      format: d.format,
      source: clip(d.source),
      counts: { entities: d.entityIds.length, links: d.linkIds.length, reports: d.reportIds.length },
      entities: d.entityIds,
      links: d.linkIds,
      reports: d.reportIds,
      digest,
      idList: 'inline',
      idsInObjectIds: inline,
      handlingC: d.handlingC,
      confirmation: d.confirmation,
    },
    objectIds: inline ? [...chartId, ...d.entityIds, ...d.linkIds, ...d.reportIds] : [...chartId, digest],
  };
}

const str = (v: unknown, max = 200): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined;
const idList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length <= 200) : [];

/**
 * An export request refused before its route knew what it would carry (a 400, or the plugin's own 428):
 * the record still names the format, the source and the ids as asked, marked `asked`.
 */
export function askedDisclosure(request: FastifyRequest): DisclosureAudit {
  const raw = (request.audit?.rawBody ?? request.body ?? {}) as Record<string, unknown>;
  const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  const query = new URL(request.url, 'http://x').searchParams;
  const briefing = /\/briefing$/.test(request.routeOptions.url ?? '');
  const format = briefing
    ? 'briefing-pdf'
    : (str(body.format, 40) ?? str(query.get('format'), 40) ?? 'unknown');
  const chartId = str(body.chartId) ?? str(query.get('chartId'));
  const source: Record<string, unknown> = briefing
    ? { kind: 'briefing', asked: true }
    : chartId
      ? { kind: 'chart', chartId, asked: true }
      : { kind: Array.isArray(body.entityIds) ? 'entities' : 'view', filter: body.view ?? {}, asked: true };
  return {
    format,
    source,
    entityIds: [...new Set(idList(body.entityIds))].sort(),
    linkIds: [...new Set(idList(body.linkIds))].sort(),
    reportIds: [],
    // The security plugin's own check (entityIds / linkIds) notes the C-coded refs it refused on.
    handlingC: idList(request.audit?.details?.handlingC),
    confirmation: null,
  };
}

const OPERATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The operations a request named (x-linkchart-operation, else ?operation=), read leniently: a malformed
 * value is the route's 400 to explain, here it only leaves the record without operations.
 */
function namedOperations(request: FastifyRequest): string[] | null {
  const header = request.headers['x-linkchart-operation'];
  let raw = Array.isArray(header) ? header.join(',') : header;
  if (raw === undefined) {
    const q = request.url.indexOf('?');
    const v = q >= 0 ? new URLSearchParams(request.url.slice(q + 1)).getAll('operation') : [];
    raw = v.join(',');
  }
  const ids = [...new Set(raw.split(',').map((s) => s.trim()))].filter(
    (s) => OPERATION_ID.test(s) && s.toLowerCase() !== 'all',
  );
  return ids.length && ids.length <= 50 ? ids : null;
}

/** The record for a finished request. */
export function buildAuditRecord(
  request: FastifyRequest,
  reply: FastifyReply,
  action: string,
  /** Carried ids an export record lists (LINKCHART_AUDIT_EXPORT_IDS, from the configuration). */
  exportIdLimit = DEFAULT_AUDIT_EXPORT_IDS,
): AuditInput {
  const a = request.audit;
  const ids = new Set<string>();
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const v of Object.values(params)) addId(ids, v);
  for (const id of a.objectIds) addId(ids, id);
  const fromBody = disclosureFields(request.body);
  const disclosed = {
    justification: fromBody.justification ?? a.disclosed?.justification,
    recipient: fromBody.recipient ?? a.disclosed?.recipient,
  };
  const details: Record<string, unknown> = { method: request.method, status: reply.statusCode, ...a.details };
  const query = request.query as Record<string, unknown> | undefined;
  if (query && typeof query === 'object' && Object.keys(query).length) details.query = clip(query);
  if (ids.size >= MAX_IDS) details.objectIdsTruncated = true;
  // Every export and briefing names what it disclosed (or, refused early, what it asked for).
  const disclosure = a.disclosure ?? (action === 'export' ? askedDisclosure(request) : undefined);
  let objectIds = [...ids];
  if (disclosure) {
    const d = disclosureDetails(disclosure, exportIdLimit);
    details.disclosure = d.details;
    objectIds = [...new Set([...objectIds, ...d.objectIds])];
    delete details.objectIdsTruncated;
  }
  const input: AuditInput = {
    actor: a.actor ?? request.user?.name ?? 'anonymous',
    action,
    route: `${request.method} ${request.routeOptions.url ?? request.url}`,
    objectIds,
    outcome: a.outcome ?? outcomeFor(reply.statusCode),
    details,
  };
  // A request refused before its route settled them (naming a closed operation: 404) is still recorded
  // under what it named, so that operation's owner sees the attempt.
  const operations = a.operations ?? namedOperations(request);
  if (operations?.length) input.operations = operations;
  const justification = a.justification ?? disclosed.justification;
  const recipient = a.recipient ?? disclosed.recipient;
  if (justification) input.justification = justification;
  if (recipient) input.recipient = recipient;
  return input;
}

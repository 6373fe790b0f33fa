// The security plugin: register it first in buildApp, before any route.
//  - onRoute: a route without `config.access` (or with an unknown one) makes registration throw, so an
//    unguarded route cannot ship. Read-only routes outside /api (the built web app) are public.
//  - onRequest: session cookie -> request.user; 401 without a live session, 403 when the role lacks the
//    route's permission or a cookie-authenticated write fails the CSRF check.
//  - preSerialization: viewers get report author/text/conditions withheld; the ids a response shows are
//    noted for the audit record.
//  - onSend: security headers and the request id on every response; a 5xx is logged, carries the request
//    id and says nothing about internals; the audit record is written before the response leaves (grouped
//    with those of concurrent requests: audit-writer.ts). Failures of callers not signed in are sampled
//    and counted instead (audit-sampler.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AuditInput } from '../domain/model.ts';
import type { Stores } from '../store/stores.ts';
import { actionFor, buildAuditRecord, disclosureFields, idsInPayload } from './audit.ts';
import { AuditWriter } from './audit-writer.ts';
import { AnonymousFailureSampler, type AnonymousAuditOptions } from './audit-sampler.ts';
import { PERMISSIONS, ROLE_PERMISSIONS, type Permission } from './permissions.ts';
import { redactForViewer } from './redact.ts';
import { confirmationFromRequest, enforceHandling } from './handling.ts';
import { ownershipConflict } from './ownership.ts';
import { scopedGraph } from './need-to-know.ts';
import type { Report } from '../domain/model.ts';
import {
  LoginThrottle,
  SessionStore,
  cookieNames,
  safeEqual,
  type Session,
  type SessionUser,
} from './sessions.ts';

export interface SecurityOptions {
  stores: Stores;
  sessions?: SessionStore;
  throttle?: LoginThrottle;
  /**
   * Served over TLS (directly, or by a TLS-terminating proxy in front): Secure `__Host-` cookies and HSTS.
   * Default: LINKCHART_TLS=1 in the environment.
   */
  secure?: boolean;
  /** Write audit records (default true). */
  audit?: boolean;
  /**
   * How failures of callers not signed in are sampled and counted (defaults: audit-sampler.ts; buildApp
   * passes the configured LINKCHART_AUDIT_ANON_WINDOW_MS and LINKCHART_AUDIT_ANON_SAMPLE); false: one each.
   */
  anonymousAudit?: AnonymousAuditOptions | false;
  /** Carried ids an export's record lists itself (config limits.auditExportIds; default 1000). */
  auditExportIds?: number;
  /** Read-only routes under /api that are public without declaring it (plugin-registered docs). */
  publicPrefixes?: string[];
  /** The configured map tile server's origin, which pages may load images from (config.map.tiles). */
  tileOrigin?: string | null;
}

export interface Security {
  stores: Stores;
  sessions: SessionStore;
  throttle: LoginThrottle;
  secure: boolean;
  cookies: { session: string; csrf: string };
  /** Every route registered after the plugin, with the permission it declared (or was given). */
  routes: Array<{ method: string; url: string; access: Permission }>;
  /** Starts a session for `user` and sets its cookies on `reply`. */
  startSession(reply: FastifyReply, user: SessionUser): Promise<Session>;
  /** Ends the request's session (if any) and clears its cookies. */
  endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    security: Security;
  }
  interface FastifyRequest {
    /** The signed-in user; null on public routes without a session. */
    user: SessionUser | null;
    session: Session | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSP: scripts only from our own origin (no inline, no eval). Inline styles stay allowed because React
 * and sigma set element styles; blob: workers because the layout runs in a worker. Images come from our
 * origin only, plus, when an administrator configured one (LINKCHART_MAP_TILES), exactly the origin of the
 * force's tile server: the built-in basemap is served by us, so the map needs nothing else.
 */
export function contentSecurityPolicy(tileOrigin?: string | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tileOrigin ? ` ${tileOrigin}` : ''}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy without a tile server. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export function securityHeaders(
  secure: boolean,
  api: boolean,
  tileOrigin?: string | null,
): Record<string, string> {
  const h: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(api ? null : tileOrigin),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  // Intelligence must not linger in shared or browser caches.
  if (api) h['cache-control'] = 'no-store';
  if (secure) h['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  return h;
}

/** The value of one cookie in a Cookie header (our values are base64url: no decoding needed). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function setCookie(
  name: string,
  value: string,
  opts: { httpOnly: boolean; secure: boolean; maxAge: number },
): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${opts.maxAge}`,
    'SameSite=Strict',
    ...(opts.httpOnly ? ['HttpOnly'] : []),
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** The route guard, exported so tests can check a route table without starting a server. */
export function guardRoute(route: RouteOptions, publicPrefixes: string[]): void {
  const methods = [route.method].flat().map((m) => String(m).toUpperCase());
  const access = route.config?.access;
  const where = `${methods.join(',')} ${route.url}`;
  if (access === undefined) {
    const readOnly = methods.every((m) => m === 'GET' || m === 'HEAD');
    const isStatic = !route.url.startsWith('/api');
    if (readOnly && (isStatic || publicPrefixes.some((p) => route.url.startsWith(p)))) {
      route.config = { ...route.config, access: 'public', audit: false };
      return;
    }
    throw new Error(
      `route ${where} declares no access rule: add config: { access: '<permission>' } (see server/security/permissions.ts)`,
    );
  }
  if (!(PERMISSIONS as readonly string[]).includes(access))
    throw new Error(`route ${where} declares unknown access ${JSON.stringify(access)}`);
}

/**
 * Whether a write comes from our own origin: the Origin header's scheme and host must both be ours. Served
 * over TLS (`secure`: directly or behind a TLS-terminating proxy) our scheme is https, else the scheme the
 * request came in on; an http:// page on the same host (a man in the middle's, say) is another origin.
 */
export function sameOrigin(request: FastifyRequest, secure: boolean): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    try {
      const u = new URL(origin);
      const scheme = secure || request.protocol === 'https' ? 'https:' : 'http:';
      return u.protocol === scheme && u.host === request.headers.host;
    } catch {
      return false;
    }
  }
  // Browsers that send no Origin still send Sec-Fetch-Site on fetches.
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The decoration: the plugin's parts, and starting and ending a session with its cookies. */
function securityApi(opts: SecurityOptions): Security {
  const secure = opts.secure ?? process.env.LINKCHART_TLS === '1';
  const names = cookieNames(secure);
  // Kept in the store, so every server on it shares them (tests may bring their own, kept in memory).
  const sessions = opts.sessions ?? new SessionStore({ keep: opts.stores.sessions });
  const throttle = opts.throttle ?? new LoginThrottle({ keep: opts.stores.sessions });
  const { stores } = opts;
  return {
    stores,
    sessions,
    throttle,
    secure,
    cookies: names,
    routes: [],
    async startSession(reply, user) {
      const { id, session } = await sessions.create(user);
      const maxAge = Math.floor(sessions.limits.absoluteMs / 1000);
      reply.header('set-cookie', [
        setCookie(names.session, id, { httpOnly: true, secure, maxAge }),
        // Readable by the page's script so it can echo it in x-csrf-token (double submit).
        setCookie(names.csrf, session.csrf, { httpOnly: false, secure, maxAge }),
      ]);
      return session;
    },
    async endSession(request, reply) {
      await sessions.destroy(readCookie(request.headers.cookie, names.session));
      reply.header('set-cookie', [
        setCookie(names.session, '', { httpOnly: true, secure, maxAge: 0 }),
        setCookie(names.csrf, '', { httpOnly: false, secure, maxAge: 0 }),
      ]);
    },
  };
}

/** onRequest: who is asking (re-read on every request), then the route's access rule, origin and CSRF. */
function authenticate(api: Security) {
  const { sessions, stores, cookies: names } = api;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    request.audit = { objectIds: [], details: {} };
    const session = await sessions.get(readCookie(request.headers.cookie, names.session));
    if (session) {
      // Re-read the user each request: a disabled account or a changed role takes effect at once.
      // The store down (a 503 follows): whoever the session names is who asked, not "anonymous".
      const u = await stores.security.getUser(session.user.id).catch((e: unknown) => {
        request.audit.actor = session.user.name;
        throw e;
      });
      if (!u || u.disabled) await sessions.destroyUser(session.user.id);
      else {
        session.user = { id: u.id, name: u.name, role: u.role };
        request.user = session.user;
        request.session = session;
      }
    }
    const access: Permission | undefined = request.routeOptions.config?.access;
    if (access === undefined) return; // no such route: the 404 handler answers
    const unsafe = UNSAFE.has(request.method);
    if (unsafe && !sameOrigin(request, api.secure)) {
      return reply.code(403).send(errorBody('cross_origin', 'cross-origin writes are refused'));
    }
    if (access === 'public') return;
    if (!request.user) {
      return reply
        .code(401)
        .send(errorBody('unauthenticated', 'sign in first: no session, or the session has expired'));
    }
    if (!ROLE_PERMISSIONS[request.user.role].has(access)) {
      return reply
        .code(403)
        .send(errorBody('forbidden', `the ${request.user.role} role may not do this (needs ${access})`));
    }
    if (unsafe) {
      const token = request.headers['x-csrf-token'];
      if (typeof token !== 'string' || !request.session || !safeEqual(token, request.session.csrf)) {
        return reply
          .code(403)
          .send(errorBody('csrf', 'missing or wrong x-csrf-token header: send the value of the csrf cookie'));
      }
    }
  };
}

// preHandler: a saved object changes only by its owner or a supervisor (ownership.ts).
// Handling codes in force on every export route that names what it exports (entityIds / linkIds):
// C-coded intelligence behind them needs { handling: { confirmConditions, justification, recipient } }.
// Routes exporting by other means call enforceHandling themselves.
function guardObjects(stores: Stores) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.user) {
      const key = `${request.method} ${request.routeOptions.url}`;
      const id = (request.params as Record<string, string> | undefined)?.id;
      const owner = await ownershipConflict(stores.workspace, key, id, request.user);
      if (owner !== null)
        return reply
          .code(403)
          .send(
            errorBody(
              'not_owner',
              `this belongs to ${owner}; only they, a supervisor or an admin may change it`,
            ),
          );
    }
    if (request.routeOptions.config?.access !== 'export:run') return;
    const raw = request.audit?.rawBody;
    if (!raw || typeof raw !== 'object') return;
    const b = raw as Record<string, unknown>;
    const ids = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 10_000) : [];
    const entityIds = ids(b.entityIds);
    const linkIds = ids(b.linkIds);
    if (entityIds.length === 0 && linkIds.length === 0) return;
    const reports: Report[] = [];
    // Need-to-know: the reports behind what the requester may read, never another operation's.
    const graph = await scopedGraph(request, stores);
    for (const id of entityIds) reports.push(...((await graph.getEntity(id))?.reports ?? []));
    for (const id of linkIds) reports.push(...((await graph.getLink(id))?.reports ?? []));
    enforceHandling(request, reports, confirmationFromRequest(request));
  };
}

/** Whether the response is the 503 of a store that cannot be reached (StoreError 'unavailable'). */
function storeOutage(reply: FastifyReply, payload: unknown): boolean {
  return reply.statusCode === 503 && typeof payload === 'string' && payload.includes('"code":"unavailable"');
}

/** The error body of a 5xx, with the request id the log line carries. */
function serverErrorPayload(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  const requestId = String(request.id);
  if (reply.statusCode === 500) {
    // Whatever produced it, a 500 tells the client nothing about the internals.
    reply.type('application/json; charset=utf-8');
    return JSON.stringify({
      error: {
        code: 'internal',
        message: 'the server failed to handle this request; it has been logged',
        requestId,
      },
    });
  }
  // 502-504 keep what they say (a store that cannot be reached, say), with the request id added.
  if (typeof payload === 'string' && payload.startsWith('{')) {
    try {
      const body = JSON.parse(payload) as { error?: Record<string, unknown> };
      if (body.error && typeof body.error === 'object') {
        body.error.requestId = requestId;
        return JSON.stringify(body);
      }
    } catch {
      /* not our JSON: left as it is */
    }
  }
  return payload;
}

/**
 * Every 5xx goes to the server log with its request id. The error handler (routes/errors.ts) logs those it
 * answers, with the error; this logs the others (a route that answers 5xx itself).
 */
function logServerError(request: FastifyRequest, reply: FastifyReply): void {
  if (serverErrorLogged.has(request)) return;
  serverErrorLogged.add(request);
  request.log.error(
    { statusCode: reply.statusCode, method: request.method, route: request.routeOptions.url ?? null },
    'server error response',
  );
}

/**
 * Requests whose 5xx has been logged (with the error, by routes/errors.ts), so it is logged once. A
 * WeakSet: nothing is kept after the request.
 */
export const serverErrorLogged = new WeakSet<FastifyRequest>();

/** onSend: security headers, the request id, a 5xx logged and saying nothing, and the audit record. */
function finishResponse(
  secure: boolean,
  auditOn: boolean,
  auditWriter: AuditWriter,
  sampler: AnonymousFailureSampler | null,
  tileOrigin: string | null,
  exportIdLimit?: number,
) {
  const headersFor = { api: securityHeaders(secure, true), page: securityHeaders(secure, false, tileOrigin) };
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.headers(request.url.startsWith('/api') ? headersFor.api : headersFor.page);
    reply.header('x-request-id', String(request.id));
    let out = payload;
    if (reply.statusCode >= 500) {
      logServerError(request, reply);
      out = serverErrorPayload(request, reply, payload);
    }
    if (auditOn && request.audit) {
      const action = actionFor(request);
      if (action) {
        const record = buildAuditRecord(request, reply, action, exportIdLimit);
        // A failure of someone not signed in: sampled and counted (audit-sampler.ts).
        // A 503 of a store that cannot be reached is no anonymous failure (the session's user asked) and
        // shows nothing: its record is tried at once, and if the store is still down the 503 stands.
        const outage = storeOutage(reply, out);
        const records: AuditInput[] =
          sampler && !outage && !request.user && record.outcome !== 'ok'
            ? sampler.note(request.ip, record)
            : [record];
        try {
          await Promise.all(records.map((r) => auditWriter.append(r)));
        } catch (err) {
          if (outage) {
            request.log.warn({ err }, 'not audited: the store cannot be reached (answered 503)');
            return out;
          }
          // No record, no data: what is not audited is not shown.
          request.log.error({ err }, 'audit write failed; response withheld');
          serverErrorLogged.add(request);
          reply.code(500).type('application/json; charset=utf-8').removeHeader('content-disposition');
          return JSON.stringify({
            error: {
              code: 'audit_unavailable',
              message: 'the audit record could not be written, so the response is withheld',
              requestId: String(request.id),
            },
          });
        }
      }
    }
    return out;
  };
}

async function security(app: FastifyInstance, opts: SecurityOptions): Promise<void> {
  const api = securityApi(opts);
  const auditOn = opts.audit ?? true;
  const auditWriter = new AuditWriter(api.stores.security);
  const sampler =
    auditOn && opts.anonymousAudit !== false ? new AnonymousFailureSampler({ ...opts.anonymousAudit }) : null;
  const publicPrefixes = opts.publicPrefixes ?? ['/api/docs', '/api/openapi'];

  app.decorate('security', api);
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('audit', null as unknown as FastifyRequest['audit']);

  app.addHook('onRoute', (route) => {
    guardRoute(route, publicPrefixes);
    for (const method of [route.method].flat())
      api.routes.push({
        method: String(method).toUpperCase(),
        url: route.url,
        access: route.config!.access!,
      });
  });

  app.addHook('onRequest', authenticate(api));

  // Before validation replaces the body with the schema's output, which may drop these fields.
  app.addHook('preValidation', async (request) => {
    if (request.audit && request.body) {
      request.audit.disclosed = disclosureFields(request.body);
      request.audit.rawBody = request.body;
    }
  });

  app.addHook('preHandler', guardObjects(api.stores));

  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    if (auditOn && reply.statusCode < 400 && request.audit && actionFor(request)) {
      for (const id of idsInPayload(payload)) request.audit.objectIds.push(id);
    }
    return request.user?.role === 'viewer' ? redactForViewer(payload) : payload;
  });

  app.addHook(
    'onSend',
    finishResponse(api.secure, auditOn, auditWriter, sampler, opts.tileOrigin ?? null, opts.auditExportIds),
  );

  if (sampler) {
    // Summaries of quiet sources are written when their interval ends, and whatever is counted when the
    // server stops.
    const writeAll = async (records: AuditInput[]) => {
      const results = await Promise.allSettled(records.map((r) => auditWriter.append(r)));
      for (const r of results)
        if (r.status === 'rejected') app.log.error({ err: r.reason }, 'audit summary write failed');
    };
    const every = Math.max(250, Math.floor(sampler.opts.windowMs / 4));
    const timer = setInterval(() => {
      const due = sampler.expire();
      if (due.length) void writeAll(due);
    }, every);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await writeAll(sampler.expire(Date.now(), true));
    });
  }
}

// Marks the plugin as not encapsulated (what fastify-plugin does), so its hooks and decorators apply to
// the whole app, including routes registered after it in child plugins.
Object.assign(security, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'linkchart-security',
});

export const securityPlugin = security;
export default securityPlugin;

// Read-your-writes across the servers of a tier (Neo4j). After a request that wrote, the answer carries the
// write's bookmarks in an HttpOnly cookie, signed under the key every server shares (the audit key, through
// Stores.readAfter); the next request, on whichever server, starts its transactions with them, so a cluster
// member that has not yet applied the user's write waits for it (server/store/neo4j/executor.ts catchUp).
//
// A bookmark tells Neo4j to wait, so one forged for a transaction far ahead would hold a request for Neo4j's
// own 30 s (db.transaction.bookmark_ready_timeout) and the driver's retries. Hence: a cookie that is not
// signed by a server of the tier, too large, too old or malformed is ignored (the request reads without it),
// and a signed one is waited for at most LINKCHART_READ_AFTER_WAIT_MS before a 503 'busy' that drops it.
// The web app needs nothing: the browser sends the cookie back. A store without bookmarks (SQLite) has no
// signer and this plugin is not registered.
import { AsyncResource } from 'node:async_hooks';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReadAfter, runWithReadAfter, type ReadAfterSigner } from '../store/read-after.ts';
import { readCookie } from './plugin.ts';

/** The cookie's name: `__Host-` when served over TLS (as the session's). */
export function readAfterCookieName(secure: boolean): string {
  return secure ? '__Host-lc_bm' : 'lc_bm';
}

/** A cookie value longer than this is ignored unread. */
export const MAX_COOKIE_CHARS = 2048;
/** Most bookmarks one cookie carries, and the longest one (Neo4j's are under 100 characters). */
export const MAX_BOOKMARKS = 4;
export const MAX_BOOKMARK_CHARS = 512;
/** How long a cookie is honoured, s: read-your-writes matters for the next moments, not for hours. */
export const READ_AFTER_MAX_AGE_S = 600;

const VERSION = 'v1';

/** The cookie's value for `bookmarks` written at `now`: `v1.<payload>.<mac>` (payload base64url JSON). */
export function signBookmarks(
  signer: ReadAfterSigner,
  bookmarks: readonly string[],
  now = Date.now(),
): string {
  const payload = Buffer.from(JSON.stringify({ b: bookmarks, t: now }), 'utf8').toString('base64url');
  return `${VERSION}.${payload}.${signer.mac(`read-after ${VERSION} ${payload}`)}`;
}

/** The bookmarks a cookie value carries when a server of the tier signed it lately; else none. */
export function verifyBookmarks(
  signer: ReadAfterSigner,
  value: string | undefined,
  now = Date.now(),
): string[] {
  if (!value || value.length > MAX_COOKIE_CHARS) return [];
  const [version, payload, mac, ...rest] = value.split('.');
  if (version !== VERSION || !payload || !mac || rest.length > 0) return [];
  const want = Buffer.from(signer.mac(`read-after ${VERSION} ${payload}`), 'utf8');
  const got = Buffer.from(mac, 'utf8');
  if (want.length !== got.length || !timingSafeEqual(want, got)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return [];
  }
  const { b, t } = (parsed ?? {}) as { b?: unknown; t?: unknown };
  if (typeof t !== 'number' || now - t > READ_AFTER_MAX_AGE_S * 1000 || t - now > 60_000) return [];
  if (!Array.isArray(b) || b.length === 0 || b.length > MAX_BOOKMARKS) return [];
  if (!b.every((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_BOOKMARK_CHARS))
    return [];
  return b;
}

export interface ReadAfterOptions {
  signer: ReadAfterSigner;
  /** LINKCHART_READ_AFTER_WAIT_MS. */
  waitMs: number;
  secure: boolean;
}

function cookie(name: string, value: string, secure: boolean, maxAge: number): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'SameSite=Strict',
    'HttpOnly',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function appendSetCookie(reply: FastifyReply, value: string): void {
  const had = reply.getHeader('set-cookie');
  const list = had === undefined ? [] : Array.isArray(had) ? had.map(String) : [String(had)];
  void reply.header('set-cookie', [...list, value]);
}

/**
 * Registered before the security plugin, so that the request's own session read already follows the
 * user's last write (a session made on one server is found on a member that has caught up) and so that the
 * answer carries the bookmarks of the request's work but not of its audit record (written after).
 */
async function readAfterPlugin(app: FastifyInstance, opts: ReadAfterOptions): Promise<void> {
  const name = readAfterCookieName(opts.secure);
  const scopes = new WeakMap<FastifyRequest, { scope: ReadAfter; resource: AsyncResource }>();

  // Callback hooks, so that every later hook and the handler run inside the request's scope.
  app.addHook('onRequest', (request, _reply, done) => {
    const incoming = verifyBookmarks(opts.signer, readCookie(request.headers.cookie, name));
    const scope = new ReadAfter(incoming, opts.waitMs);
    runWithReadAfter(scope, () => {
      scopes.set(request, { scope, resource: new AsyncResource('linkchart-read-after') });
      done();
    });
  });
  // The body is parsed in the socket's stream events, outside the scope: enter it again after parsing.
  app.addHook('preValidation', (request, _reply, done) => {
    const s = scopes.get(request);
    if (s) s.resource.runInAsyncScope(done, null);
    else done();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const s = scopes.get(request);
    if (!s) return payload;
    if (s.scope.written && reply.statusCode < 500)
      appendSetCookie(
        reply,
        cookie(name, signBookmarks(opts.signer, s.scope.written), opts.secure, READ_AFTER_MAX_AGE_S),
      );
    else if (s.scope.dropped) appendSetCookie(reply, cookie(name, '', opts.secure, 0));
    return payload;
  });
}

Object.assign(readAfterPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'linkchart-read-after',
});

export const readAfterCookiePlugin = readAfterPlugin;

// Need-to-know, per request: which operations the signed-in user may read (every open operation and the
// closed ones they are a member of; a global role opens none), and which of them the request names as its
// working operations (`x-linkchart-operation`, or `operation=` in the query of a plain link). Read once per
// request and never kept across requests, so a membership change takes effect on the user's next request.
// Used by the routes (server/routes/context.ts) and by the security plugin's export guard.
import type { FastifyRequest } from 'fastify';
import type { OperationMember, OperationRole, ReadScope } from '../domain/operations.ts';
import type { GraphStore } from '../store/graph-store.ts';
import type { Stores } from '../store/stores.ts';
import { ApiError } from '../api-types/errors.ts';

/** The request header naming the working operation(s); `operation=` in the query does the same for links. */
export const OPERATION_HEADER = 'x-linkchart-operation';

/** Op ids are public ids (op1, op2 …); a list holds at most this many. */
const MAX_NAMED = 50;
const OP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What a request's user may read and where they are a member, read once per request (never across). */
export interface Access {
  readable: ReadonlySet<string>;
  roles: ReadonlyMap<string, OperationRole>;
}

/** Per request only: a membership change takes effect on the caller's next request. */
const accessCache = new WeakMap<FastifyRequest, Promise<Access>>();
const scopeCache = new WeakMap<FastifyRequest, Promise<ReadScope>>();

export function operationNotFound(
  id: string,
  /** Where the id came from: the working-operation header, or e.g. ['params', 'id'] for a route's own id. */
  path: (string | number)[] = ['headers', OPERATION_HEADER],
): ApiError {
  return new ApiError(
    404,
    'operation_not_found',
    `no operation ${JSON.stringify(id)} that you may read; choose one from your operations`,
    { path },
  );
}

/** The user's readable operations and roles, once per request. */
export function accessOf(request: FastifyRequest, stores: Pick<Stores, 'operations'>): Promise<Access> {
  let access = accessCache.get(request);
  if (!access) {
    const { operations } = stores;
    const user = (request as unknown as { user?: { name: string } }).user;
    access = user
      ? Promise.all([operations.readableBy(user.name), operations.membershipsOf(user.name)]).then(
          ([readable, members]: [string[], OperationMember[]]) => ({
            readable: new Set(readable),
            roles: new Map(members.map((m) => [m.operationId, m.role])),
          }),
        )
      : // Nobody signed in reads nothing (public routes never read the graph).
        Promise.resolve({ readable: new Set<string>(), roles: new Map<string, OperationRole>() });
    accessCache.set(request, access);
  }
  return access;
}

/**
 * The operations the request names: null when it names none (or `all`), else the ids. A malformed value is
 * a 400 saying where; the header wins over the query.
 */
export function operationsNamed(request: FastifyRequest): string[] | null {
  const header = request.headers[OPERATION_HEADER];
  let raw: string | undefined = Array.isArray(header) ? header.join(',') : header;
  let where: [string, string] = ['headers', OPERATION_HEADER];
  if (raw === undefined) {
    // Read from the URL as sent: route query schemas drop keys they do not know.
    const q = request.url.indexOf('?');
    const v = q >= 0 ? new URLSearchParams(request.url.slice(q + 1)).getAll('operation') : [];
    if (!v.length) return null;
    raw = v.join(',');
    where = ['querystring', 'operation'];
  }
  const ids = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0 || (ids.length === 1 && ids[0].toLowerCase() === 'all')) return null;
  const bad = ids.find((id) => !OP_ID.test(id));
  if (bad !== undefined || ids.length > MAX_NAMED)
    throw new ApiError(
      400,
      'invalid',
      `${where[1]}: name the working operation by its id (such as op2), up to ${MAX_NAMED} separated by ` +
        `commas, or all; ${bad !== undefined ? `${JSON.stringify(bad.slice(0, 80))} is not an operation id` : 'too many'}`,
      { path: where },
    );
  return ids;
}

/**
 * The request's read scope: the operations its user may read, narrowed to the ones it names. Naming an
 * operation the user may not read is the 404 of one that does not exist (closed and absent look alike).
 * Never 'all': that is for the system's own paths.
 */
export function readScope(request: FastifyRequest, stores: Pick<Stores, 'operations'>): Promise<ReadScope> {
  let scope = scopeCache.get(request);
  if (!scope) {
    scope = (async () => {
      const named = operationsNamed(request);
      const { readable } = await accessOf(request, stores);
      if (!named) return { operations: [...readable].sort() };
      for (const id of named) if (!readable.has(id)) throw operationNotFound(id);
      return { operations: [...named].sort() };
    })();
    scopeCache.set(request, scope);
  }
  return scope;
}

/** The operations a scope reads (for records and markings). */
export function scopeOperations(scope: ReadScope): readonly string[] | null {
  return scope === 'all' ? null : scope.operations;
}

/** The graph as the request may read it. */
export async function scopedGraph(
  request: FastifyRequest,
  stores: Pick<Stores, 'operations' | 'graph'>,
): Promise<GraphStore> {
  return stores.graph.scoped(await readScope(request, stores));
}

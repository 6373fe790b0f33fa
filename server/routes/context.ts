// What every route plugin receives, and what a route needs from the request beyond its body: who is asking
// (set by the security plugin) and in which operations (need-to-know). Route plugins import their
// dependencies from here, never from server/app.ts, which registers them: that way the app depends on the
// routes and nothing depends back.
//
// Need-to-know: a request reads only the operations its user may read (every open operation and the closed
// ones they are a member of; a global role opens nothing), narrowed by the working operation the client
// names in the `x-linkchart-operation` header (or `operation=` in the query of a plain link). Every read of
// the graph on a user's path goes through `graphFor`, the store scoped to that; a write goes to the single
// working operation, and only a member who may write there (or any analyst, in an open operation) may.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { ROLES, type Role, type WriteContext } from '../domain/model.ts';
import type { Operation, ReadScope } from '../domain/operations.ts';
import type { GraphStore } from '../store/graph-store.ts';
import type { Stores } from '../store/stores.ts';
import { ApiError } from '../api-types/errors.ts';
import {
  OPERATION_HEADER,
  accessOf as coreAccessOf,
  operationNotFound,
  operationsNamed,
  readScope as coreReadScope,
  type Access,
} from '../security/need-to-know.ts';

export { OPERATION_HEADER, operationNotFound, operationsNamed };
import { mayWriteInOperation } from '../security/permissions.ts';
import { operationMarkings } from '../export/operation-marking.ts';

/** What every route plugin receives as its options (server/routes/index.ts hands them out). */
export interface RouteDeps {
  stores: Stores;
  config: Config;
}

/** The signed-in user as the security plugin sets it on `request.user`; absent while the API is open. */
export interface RequestUser {
  id: string;
  name: string;
  role: string;
}

export function requestUser(request: FastifyRequest): RequestUser | undefined {
  return (request as unknown as { user?: RequestUser }).user;
}

/** The signed-in user's global role, if it is one the server knows. */
export function globalRole(request: FastifyRequest): Role | undefined {
  const role = requestUser(request)?.role;
  return (ROLES as readonly string[]).includes(role ?? '') ? (role as Role) : undefined;
}

/** Who a write or a record names: the signed-in user, or 'system'. */
export function actorOf(request: FastifyRequest): string {
  return requestUser(request)?.name ?? 'system';
}

/** The stores each request was served with (bound by `bindRequests`, registered in routes/index.ts). */
const boundStores = new WeakMap<FastifyRequest, Stores>();
/** Makes `readScope` and `writeContext` find the stores of every request under `app`. */
export function bindRequests(app: FastifyInstance, stores: Stores): void {
  app.addHook('onRequest', async (request) => {
    boundStores.set(request, stores);
  });
}

function storesOf(request: FastifyRequest, deps?: Pick<RouteDeps, 'stores'>): Stores {
  const stores = deps?.stores ?? boundStores.get(request);
  // A route outside routes/index.ts that reads the graph: a programming error, never a user's.
  if (!stores) throw new Error(`${request.url}: the route is not bound to the stores (routes/index.ts)`);
  return stores;
}

/** The user's readable operations and roles, once per request (security/need-to-know.ts). */
export function accessOf(request: FastifyRequest, deps?: Pick<RouteDeps, 'stores'>): Promise<Access> {
  return coreAccessOf(request, storesOf(request, deps));
}

/** Requests whose change has named its operation: that one is their record's, whatever they also read. */
const changedIn = new WeakSet<FastifyRequest>();

/** Notes the request's working operations on its audit record (security/audit.ts buildAuditRecord). */
function noteOperations(request: FastifyRequest, operations: readonly string[], change = false): void {
  const audit = (request as unknown as { audit?: { operations?: string[] } | null }).audit;
  if (!audit || (!change && changedIn.has(request))) return;
  if (change) changedIn.add(request);
  audit.operations = [...operations];
}

/**
 * The request's read scope: the operations its user may read, narrowed to the ones it names. Naming an
 * operation the user may not read is the 404 of one that does not exist (closed and absent look alike).
 * Never 'all': that is for the system's own paths.
 */
export function readScope(request: FastifyRequest, deps?: Pick<RouteDeps, 'stores'>): Promise<ReadScope> {
  return coreReadScope(request, storesOf(request, deps)).then((scope) => {
    if (scope !== 'all') noteOperations(request, scope.operations);
    return scope;
  });
}

/** The operations a scope reads (for records and markings). */
export function scopeOperations(scope: ReadScope): readonly string[] | null {
  return scope === 'all' ? null : scope.operations;
}

/**
 * The scope of a view that names operations (`filter.operations`): those of them the request reads (the
 * design's intersection: a saved view naming an operation its reader has since left reads the rest, and
 * one naming none of theirs reads nothing); none named: the request's scope.
 */
export async function viewScope(
  request: FastifyRequest,
  deps: Pick<RouteDeps, 'stores'> | undefined,
  operations: readonly string[] | undefined,
): Promise<ReadScope> {
  const scope = await readScope(request, deps);
  if (!operations || scope === 'all') return scope;
  const mine = new Set(scope.operations);
  return { operations: [...new Set(operations)].filter((id) => mine.has(id)).sort() };
}

/** The filter with the operations it effectively reads (what job caches and analysis records key on). */
export function scopedFilter<F extends { operations?: string[] | undefined }>(
  filter: F,
  scope: ReadScope,
): F {
  return scope === 'all' ? filter : { ...filter, operations: [...scope.operations] };
}

/** The graph as the request may read it (narrowed to a view's operations when it names some). */
export async function graphFor(
  request: FastifyRequest,
  deps: Pick<RouteDeps, 'stores'>,
  operations?: readonly string[],
): Promise<GraphStore> {
  return deps.stores.graph.scoped(await viewScope(request, deps, operations));
}

/** `graphFor` bound to the deps, for helpers that register several routes over one store. */
export type GraphOf = (request: FastifyRequest, operations?: readonly string[]) => Promise<GraphStore>;
export function graphOf(deps: Pick<RouteDeps, 'stores'>): GraphOf {
  return (request, operations) => graphFor(request, deps, operations);
}

/**
 * The single operation a write goes to: the one the request names, or the default (GENERAL) when it names
 * none. Refused (403 operation_write_denied) unless the user writes there: a writing member of it, or, in
 * an open operation, any user whose global role writes. A closed operation refuses a write even to admins
 * who are not members.
 */
export async function workingOperation(
  request: FastifyRequest,
  deps?: Pick<RouteDeps, 'stores'>,
): Promise<Operation> {
  const stores = storesOf(request, deps);
  const named = operationsNamed(request);
  if (named && named.length > 1)
    throw new ApiError(
      400,
      'operation_ambiguous',
      `a change is made in one operation: name one in ${OPERATION_HEADER}, not ${named.length}`,
      { path: ['headers', OPERATION_HEADER] },
    );
  const { readable, roles } = await accessOf(request, deps);
  const op = named ? await stores.operations.get(named[0]) : await stores.operations.defaultOperation();
  if (!op || !readable.has(op.id)) throw operationNotFound(named?.[0] ?? 'GENERAL');
  if (!mayWriteInOperation(op, roles.get(op.id), globalRole(request)))
    throw new ApiError(
      403,
      'operation_write_denied',
      op.state !== 'active'
        ? `operation ${op.ref} is closed for changes; ask its owner (${op.owner}) to reopen it`
        : `you may read operation ${op.ref} but not change it; ask its owner (${op.owner}) for the analyst role in it`,
      { path: ['headers', OPERATION_HEADER] },
    );
  return op;
}

/**
 * The context of a change to the user's own workspace (their draft): who, in the working operation they
 * may read, without the right to write facts there (a viewer keeps a draft too).
 */
export async function workspaceContext(
  request: FastifyRequest,
  deps?: Pick<RouteDeps, 'stores'>,
): Promise<WriteContext> {
  const stores = storesOf(request, deps);
  const named = operationsNamed(request);
  const { readable } = await accessOf(request, deps);
  const op =
    named && named.length === 1
      ? await stores.operations.get(named[0])
      : await stores.operations.defaultOperation();
  if (!op || !readable.has(op.id)) throw operationNotFound(named?.[0] ?? 'GENERAL');
  noteOperations(request, [op.id], true);
  return { actor: actorOf(request), operationId: op.id };
}

/** A write's context: who, in which operation (checked: see workingOperation), and the import if any. */
export async function writeContext(
  request: FastifyRequest,
  importId?: string,
  deps?: Pick<RouteDeps, 'stores'>,
): Promise<WriteContext> {
  const op = await workingOperation(request, deps);
  const audit = (request as unknown as { audit?: { details: Record<string, unknown> } | null }).audit;
  if (audit) audit.details.operation = op.ref;
  noteOperations(request, [op.id], true);
  return { actor: actorOf(request), operationId: op.id, ...(importId ? { importId } : {}) };
}

/** The markings (`OP <REF> · <name> · OPEN|CLOSED`) of the operations a scope reads, for exports and briefings. */
export async function scopeMarkings(scope: ReadScope, deps: Pick<RouteDeps, 'stores'>): Promise<string[]> {
  const { operations } = deps.stores;
  const ops =
    scope === 'all'
      ? (await operations.list({ limit: 1000 })).items
      : (await Promise.all(scope.operations.map((id) => operations.get(id)))).filter(
          (o): o is Operation => o !== null,
        );
  return operationMarkings(ops);
}

// /api/operations: the operations facts belong to, and who is a member of which (need-to-know).
//   GET    /operations                     the operations the caller may read, each with their role in it
//   POST   /operations                     open one (global supervisors and admins; the creator owns it)
//   GET    /operations/:id                 one the caller may read
//   PATCH  /operations/:id                 rename, open or close it to the force, close it for changes, hand over
//   GET    /operations/:id/members         its members
//   PUT    /operations/:id/members/:user   add a member or change their role  {role}
//   DELETE /operations/:id/members/:user   remove a member
// Changes are for the operation's owner and supervisor members, and admins (security/permissions.ts). An
// operation the caller may not read answers the 404 of one that does not exist; to admins it exists (they
// may add themselves to a closed operation). Every call is audited with the operation's id and ref.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, okSchema } from '../api-types/common.ts';
import { ApiError } from '../api-types/errors.ts';
import {
  memberInputSchema,
  memberListSchema,
  memberParamsSchema,
  memberSchema,
  myOperationSchema,
  operationInputSchema,
  operationListQuerySchema,
  operationListSchema,
  operationParamsSchema,
  operationPatchSchema,
  type MyOperation,
} from '../api-types/operations.ts';
import type { Operation } from '../domain/operations.ts';
import { mayGrantOwnership, mayManageOperation, mayWriteInOperation } from '../security/permissions.ts';
import { accessOf, actorOf, globalRole, operationNotFound, type RouteDeps } from './context.ts';

const TAGS = ['operations'];
const READ = 'operations:read' as const;
const MANAGE = 'operations:manage' as const;

/** Names the operation on the request's audit record: its id among the objects, its ref in the details. */
function auditOperation(request: FastifyRequest, op: Pick<Operation, 'id' | 'ref'>): void {
  const audit = (
    request as unknown as {
      audit?: { objectIds: string[]; details: Record<string, unknown>; operations?: string[] };
    }
  ).audit;
  if (!audit) return;
  audit.objectIds.push(op.id);
  audit.details.operation = op.ref;
  // The record belongs to the operation managed: its owner's and supervisors' trail, not the force's.
  audit.operations = [op.id];
}

/** A write's context for the operation store: the actor, in the operation changed. */
const ctxOf = (request: FastifyRequest, op?: Operation) => ({
  actor: actorOf(request),
  ...(op ? { operationId: op.id } : {}),
});

const operations: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const ops = stores.operations;
  const isAdmin = (req: FastifyRequest) => globalRole(req) === 'admin';

  /** The operation as the caller sees it, with their role and what they may do in it. */
  const asMine = async (req: FastifyRequest, op: Operation): Promise<MyOperation> => {
    const { roles } = await accessOf(req);
    const myRole = roles.get(op.id) ?? null;
    const role = globalRole(req) ?? 'viewer';
    return {
      ...op,
      myRole,
      canManage: mayManageOperation(role, myRole ?? undefined),
      canWrite: mayWriteInOperation(op, myRole ?? undefined, globalRole(req)),
    };
  };

  /**
   * The operation if the caller may read it; admins also reach closed ones they are not in (to manage
   * them). Anyone else gets the 404 of an operation that does not exist.
   */
  const reachable = async (req: FastifyRequest, id: string): Promise<Operation> => {
    const op = await ops.get(id);
    if (!op) throw operationNotFound(id, ['params', 'id']);
    const { readable } = await accessOf(req);
    if (!readable.has(op.id) && !isAdmin(req)) throw operationNotFound(id, ['params', 'id']);
    auditOperation(req, op);
    return op;
  };

  /** The operation, if the caller may change it (403 saying who may, when they may read but not manage). */
  const manageable = async (req: FastifyRequest, id: string): Promise<Operation> => {
    const op = await reachable(req, id);
    const { roles } = await accessOf(req);
    if (!mayManageOperation(globalRole(req) ?? 'viewer', roles.get(op.id)))
      throw new ApiError(
        403,
        'forbidden',
        `only the owner (${op.owner}) and supervisors of operation ${op.ref}, or an administrator, may change it or its members`,
      );
    return op;
  };

  app.get(
    '/operations',
    {
      config: { access: READ },
      schema: {
        tags: TAGS,
        summary: 'The operations you may read (open ones and closed ones you are in), with your role in each',
        querystring: operationListQuerySchema,
        response: { 200: operationListSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { readable } = await accessOf(req);
      // Admins see every operation (to manage membership), not the facts of the closed ones.
      const ids = isAdmin(req) ? undefined : [...readable];
      const items: MyOperation[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = await ops.list({ offset, limit: 500, ...(ids ? { ids } : {}) });
        for (const op of page.items)
          if (!req.query.state || op.state === req.query.state) items.push(await asMine(req, op));
        if (page.items.length < 500 || offset + 500 >= page.total) break;
      }
      return { items, total: items.length };
    },
  );

  app.post(
    '/operations',
    {
      config: { access: 'operations:create', audit: 'operation.create' },
      schema: {
        tags: TAGS,
        summary: 'Open an operation (closed to the force unless sensitivity is open); you become its owner',
        body: operationInputSchema,
        response: { 201: myOperationSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (await ops.getByRef(req.body.ref))
        throw new ApiError(
          409,
          'conflict',
          `an operation ${req.body.ref} already exists; choose another reference`,
          {
            path: ['body', 'ref'],
          },
        );
      const op = await ops.create(req.body, ctxOf(req));
      auditOperation(req, op);
      req.audit.details.sensitivity = op.sensitivity;
      return reply.code(201).send(await asMine(req, op));
    },
  );

  app.get(
    '/operations/:id',
    {
      config: { access: READ },
      schema: {
        tags: TAGS,
        summary: 'One operation, with your role in it',
        params: operationParamsSchema,
        response: { 200: myOperationSchema, ...errorResponses },
      },
    },
    async (req) => asMine(req, await reachable(req, req.params.id)),
  );

  app.patch(
    '/operations/:id',
    {
      config: { access: MANAGE, audit: 'operation.change' },
      schema: {
        tags: TAGS,
        summary: 'Rename an operation, open or close it to the force, close it for changes, or hand it over',
        params: operationParamsSchema,
        body: operationPatchSchema,
        response: { 200: myOperationSchema, ...errorResponses },
      },
    },
    async (req) => {
      const op = await manageable(req, req.params.id);
      const { roles } = await accessOf(req);
      if (req.body.owner !== undefined && !mayGrantOwnership(globalRole(req) ?? 'viewer', roles.get(op.id)))
        throw new ApiError(
          403,
          'forbidden',
          `only the owner of ${op.ref} or an administrator may hand it over`,
          {
            path: ['body', 'owner'],
          },
        );
      if (req.body.owner !== undefined && !(await stores.security.getUserByName(req.body.owner)))
        throw new ApiError(404, 'not_found', `no user named ${JSON.stringify(req.body.owner)}`, {
          path: ['body', 'owner'],
        });
      req.audit.details.changes = req.body;
      const changed = await ops.update(op.id, req.body, ctxOf(req, op));
      return asMine(req, changed);
    },
  );

  app.get(
    '/operations/:id/members',
    {
      config: { access: READ },
      schema: {
        tags: TAGS,
        summary: "An operation's members and their roles in it",
        params: operationParamsSchema,
        response: { 200: memberListSchema, ...errorResponses },
      },
    },
    async (req) => {
      const op = await reachable(req, req.params.id);
      return { items: await ops.listMembers(op.id) };
    },
  );

  app.put(
    '/operations/:id/members/:user',
    {
      config: { access: MANAGE, audit: 'operation.member' },
      schema: {
        tags: TAGS,
        summary:
          'Add a member to an operation, or change their role in it (owner, supervisor, analyst, viewer)',
        params: memberParamsSchema,
        body: memberInputSchema,
        response: { 200: memberSchema, ...errorResponses },
      },
    },
    async (req) => {
      const op = await manageable(req, req.params.id);
      const { roles } = await accessOf(req);
      const { user } = req.params;
      const { role } = req.body;
      const current = (await ops.listMembers(op.id)).find((m) => m.user === user);
      if (
        (role === 'owner' || current?.role === 'owner') &&
        !mayGrantOwnership(globalRole(req) ?? 'viewer', roles.get(op.id))
      )
        throw new ApiError(
          403,
          'forbidden',
          `only the owner of ${op.ref} or an administrator may make or unmake an owner`,
          {
            path: ['body', 'role'],
          },
        );
      const account = await stores.security.getUserByName(user);
      if (!account)
        throw new ApiError(404, 'not_found', `no user named ${JSON.stringify(user)}`, {
          path: ['params', 'user'],
        });
      Object.assign(req.audit.details, { member: user, role, was: current?.role ?? null });
      req.audit.objectIds.push(account.id);
      return ops.setMember(op.id, user, role, ctxOf(req, op));
    },
  );

  app.delete(
    '/operations/:id/members/:user',
    {
      config: { access: MANAGE, audit: 'operation.member.remove' },
      schema: {
        tags: TAGS,
        summary: 'Remove a member from an operation (its owner stays: hand it over first)',
        params: memberParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      const op = await manageable(req, req.params.id);
      const { user } = req.params;
      const current = (await ops.listMembers(op.id)).find((m) => m.user === user);
      if (!current)
        throw new ApiError(404, 'not_found', `${user} is not a member of ${op.ref}`, {
          path: ['params', 'user'],
        });
      const { roles } = await accessOf(req);
      if (current.role === 'owner' && !mayGrantOwnership(globalRole(req) ?? 'viewer', roles.get(op.id)))
        throw new ApiError(
          403,
          'forbidden',
          `only the owner of ${op.ref} or an administrator may remove an owner`,
          {
            path: ['params', 'user'],
          },
        );
      if (user === op.owner)
        throw new ApiError(409, 'conflict', `${user} owns ${op.ref}: hand it over to someone else first`, {
          path: ['params', 'user'],
        });
      Object.assign(req.audit.details, { member: user, was: current.role });
      await ops.removeMember(op.id, user, ctxOf(req, op));
      return { ok: true as const };
    },
  );
};

export default operations;

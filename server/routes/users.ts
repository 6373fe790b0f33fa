// User administration: list, create, change role, disable, reset password. Supervisors manage the accounts
// of analysts and viewers (users:manage); the accounts of supervisors and admins, and promotion to those
// roles, are the admins' (users:admin), so a supervisor cannot lock out or take over their overseers.
// Disabling an account or resetting its password ends its sessions at once.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from './context.ts';
import { ROLES, type Role } from '../domain/model.ts';
import { ROLE_PERMISSIONS } from '../security/permissions.ts';
import { errorResponses, idParamsSchema, keyedPageQuerySchema, pageSchema } from '../api-types/common.ts';
import { MAX_PASSWORD_LENGTH, PasswordPolicyError } from '../security/passwords.ts';
import { createAccount, publicUser, resetAccountPassword } from '../security/users.ts';
import { ApiError } from '../api-types/errors.ts';
import { notFound } from './crud.ts';

export const publicUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  createdAt: z.string(),
});

const createBody = z.object({
  name: z.string().trim().min(2).max(64),
  role: z.enum(ROLES),
  /** Omit to have one generated and returned once. */
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH).optional(),
});
const patchBody = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'send role and/or disabled' });
const resetBody = z.object({ password: z.string().min(1).max(MAX_PASSWORD_LENGTH).optional() });
const withPassword = z.object({ user: publicUserSchema, generatedPassword: z.string().optional() });

function policy(err: unknown): never {
  if (err instanceof PasswordPolicyError)
    throw new ApiError(400, 'weak_password', err.message, { path: ['body', 'password'] });
  throw err;
}

/** The roles whose accounts a supervisor manages. */
const SUPERVISED: ReadonlySet<Role> = new Set<Role>(['viewer', 'analyst']);

/**
 * Refuses (403) an account change the caller's role may not make. `role` is the account's role, old or
 * new; `task` says what to ask an administrator for.
 */
function mayManage(actor: Role, role: Role, task: string): void {
  if (ROLE_PERMISSIONS[actor].has('users:admin') || SUPERVISED.has(role)) return;
  throw new ApiError(
    403,
    'forbidden',
    `a ${actor} manages the accounts of analysts and viewers; ask an administrator to ${task}`,
    { path: ['body', 'role'] },
  );
}

const users: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const accounts = stores.security;
  const admin = { access: 'users:manage' } as const;

  app.get(
    '/users',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'List users',
        querystring: keyedPageQuerySchema,
        response: { 200: pageSchema(publicUserSchema), ...errorResponses },
      },
    },
    async (req) => {
      const page = await accounts.listUsers(req.query);
      return { ...page, items: page.items.map(publicUser) };
    },
  );

  app.post(
    '/users',
    {
      config: admin,
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['users'],
        summary: 'Create a user (a generated password is returned once when none is given)',
        body: createBody,
        response: { 200: withPassword, ...errorResponses },
      },
    },
    async (req) => {
      mayManage(req.user!.role, req.body.role, `create a ${req.body.role}'s account`);
      const out = await createAccount(accounts, req.body).catch(policy);
      req.audit.objectIds.push(out.user.id);
      req.audit.details.name = out.user.name;
      req.audit.details.role = out.user.role;
      return out;
    },
  );

  app.patch(
    '/users/:id',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Change a role or disable/enable a user',
        params: idParamsSchema,
        body: patchBody,
        response: { 200: publicUserSchema, ...errorResponses },
      },
    },
    async (req) => {
      const existing = await accounts.getUser(req.params.id);
      if (!existing) throw notFound('user', req.params.id);
      mayManage(req.user!.role, existing.role, `change ${existing.name}'s account (a ${existing.role})`);
      if (req.body.role) mayManage(req.user!.role, req.body.role, `make ${existing.name} a ${req.body.role}`);
      if (existing.id === req.user!.id && (req.body.disabled || (req.body.role && req.body.role !== 'admin')))
        throw new ApiError(
          409,
          'conflict',
          'you cannot disable or demote your own account; ask another administrator',
        );
      const user = await accounts.updateUser(existing.id, req.body);
      if (user.disabled) await app.security.sessions.destroyUser(user.id);
      req.audit.details.change = req.body;
      return publicUser(user);
    },
  );

  app.post(
    '/users/:id/password',
    {
      config: admin,
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['users'],
        summary: "Reset a user's password (generated when none is given); ends their sessions",
        params: idParamsSchema,
        body: resetBody,
        response: { 200: withPassword, ...errorResponses },
      },
    },
    async (req) => {
      const existing = await accounts.getUser(req.params.id);
      if (!existing) throw notFound('user', req.params.id);
      mayManage(req.user!.role, existing.role, `reset ${existing.name}'s password (a ${existing.role})`);
      const out = await resetAccountPassword(accounts, req.params.id, req.body.password).catch(policy);
      await app.security.sessions.destroyUser(out.user.id);
      return out;
    },
  );
};

export default users;

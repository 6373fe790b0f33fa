// Sign in, sign out, who am I, change my password. The session is a cookie the security plugin reads;
// the response also carries the CSRF token the web app echoes in `x-csrf-token` on every write.
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from './context.ts';
import { ROLES, type User } from '../domain/model.ts';
import { apiErrorSchema, errorResponses, okSchema } from '../api-types/common.ts';
import {
  MAX_PASSWORD_LENGTH,
  burnVerification,
  hashPassword,
  needsRehash,
  passwordProblems,
  verifyPassword,
} from '../security/passwords.ts';
import type { Security } from '../security/plugin.ts';
import type { LoginAttempt, Session, ThrottleGate } from '../security/sessions.ts';
import type { SecurityStore } from '../store/security-store.ts';
import type { ZodApp } from './crud.ts';
import { ApiError } from '../api-types/errors.ts';

export const loginBodySchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  password: z.string().min(1, 'password is required').max(MAX_PASSWORD_LENGTH),
});

export const sessionInfoSchema = z.object({
  user: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) }),
  /** Echo in the x-csrf-token header on every POST, PUT, PATCH and DELETE. */
  csrfToken: z.string(),
  /** When the session ends at the latest (12 h after sign-in), ISO UTC. */
  expiresAt: z.string(),
  /** The session ends after this long without a request. */
  idleTimeoutMs: z.number().int(),
});

export const passwordChangeBodySchema = z.object({
  current: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  next: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/** What a signed-in client is told about its session. */
function sessionInfo(sec: Security, s: Session) {
  return {
    user: s.user,
    csrfToken: s.csrf,
    expiresAt: new Date(s.createdAt + sec.sessions.limits.absoluteMs).toISOString(),
    idleTimeoutMs: sec.sessions.limits.idleMs,
  };
}

/**
 * The attempt the throttle admitted, or a 429 saying how long to wait (also in Retry-After, in seconds).
 * Refused attempts are not counted: their password was never looked at.
 */
function admit(reply: FastifyReply, gate: ThrottleGate): LoginAttempt {
  if (gate.attempt) return gate.attempt;
  const seconds = Math.max(1, Math.ceil(gate.waitMs / 1000));
  reply.header('retry-after', String(seconds));
  const when =
    seconds < 60
      ? `${seconds} second${seconds === 1 ? '' : 's'}`
      : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? '' : 's'}`;
  throw new ApiError(429, 'locked', `too many sign-in attempts; try again in ${when}`);
}

function loginRoute(app: ZodApp, users: SecurityStore): void {
  const sec = app.security;
  app.post(
    '/auth/login',
    {
      config: { access: 'public', audit: 'login' },
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets the session cookie and the CSRF cookie',
        body: loginBodySchema,
        response: { 200: sessionInfoSchema, 401: apiErrorSchema, 429: apiErrorSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { name, password } = req.body;
      req.audit.actor = name;
      // Counted before the password is looked at, in this same turn of the event loop: see LoginThrottle.
      const attempt = admit(reply, await sec.throttle.begin(name, req.ip));
      try {
        // Found by its folded name: `Analyst1` and `analyst1` are one account.
        const user = await users.getUserByName(name);
        let ok = false;
        if (user && !user.disabled) ok = await verifyPassword(password, user.passwordHash);
        else await burnVerification(password);
        if (!user || !ok) {
          await attempt.fail();
          req.audit.outcome = 'failed';
          // One message for unknown name, wrong password and disabled account: no account enumeration.
          throw new ApiError(
            401,
            'bad_credentials',
            'the name or the password is wrong, or the account is disabled',
          );
        }
        await attempt.succeed();
        req.audit.actor = user.name;
        if (needsRehash(user.passwordHash))
          await users.updateUser(user.id, { passwordHash: await hashPassword(password) });
        // A session the browser arrived with is dropped, so a planted session id cannot be promoted.
        if (req.session) await sec.endSession(req, reply);
        const session = await sec.startSession(reply, { id: user.id, name: user.name, role: user.role });
        req.user = session.user;
        req.audit.objectIds.push(user.id);
        return sessionInfo(sec, session);
      } finally {
        await attempt.release();
      }
    },
  );
}

function passwordRoute(app: ZodApp, users: SecurityStore): void {
  const sec = app.security;
  app.post(
    '/auth/password',
    {
      config: { access: 'session', audit: 'password.change' },
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['auth'],
        summary: 'Change my password: ends my other sessions and starts a new one',
        body: passwordChangeBodySchema,
        response: { 200: sessionInfoSchema, 429: apiErrorSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const me = req.user!;
      // The current-password check is a sign-in by another door: counted first, under the same limits
      // (and the same counts) as signing in as this user from this address.
      const attempt = admit(reply, await sec.throttle.begin(me.name, req.ip));
      let user: User | null;
      try {
        user = await users.getUser(me.id);
        if (!user || !(await verifyPassword(req.body.current, user.passwordHash))) {
          await attempt.fail();
          req.audit.outcome = 'failed';
          throw new ApiError(403, 'bad_credentials', 'the current password is wrong');
        }
        await attempt.succeed();
      } finally {
        await attempt.release();
      }
      // scrypt hashes the NFKC form, so the same NFKC form is the same password.
      if (req.body.next.normalize('NFKC') === req.body.current.normalize('NFKC'))
        throw new ApiError(400, 'password_reuse', 'the new password must differ from the current one', {
          path: ['body', 'next'],
        });
      const problems = passwordProblems(req.body.next, { userName: user.name });
      if (problems.length)
        throw new ApiError(400, 'weak_password', problems.join('; '), { path: ['body', 'next'] });
      await users.updateUser(user.id, { passwordHash: await hashPassword(req.body.next) });
      await sec.sessions.destroyUser(user.id);
      const session = await sec.startSession(reply, me);
      req.audit.objectIds.push(user.id);
      return sessionInfo(sec, session);
    },
  );
}

const auth: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const sec = app.security;
  loginRoute(app, stores.security);
  app.post(
    '/auth/logout',
    {
      config: { access: 'session', audit: 'logout' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends the session server-side',
        response: { 200: okSchema },
      },
    },
    async (req, reply) => {
      await sec.endSession(req, reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/whoami',
    {
      config: { access: 'session', audit: false },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token',
        response: { 200: sessionInfoSchema },
      },
    },
    async (req) => sessionInfo(sec, req.session!),
  );

  passwordRoute(app, stores.security);
};

export default auth;

// Account management shared by the users API and `npm run user`. There is never a default password:
// an account gets the password its creator chose (checked against the policy) or a generated one that
// is shown once.
import type { Role, User } from '../domain/model.ts';
import { ROLES } from '../domain/model.ts';
import { StoreError } from '../store/common.ts';
import type { SecurityStore } from '../store/security-store.ts';
import { PasswordPolicyError, generatePassword, hashPassword, passwordProblems } from './passwords.ts';

export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export function publicUser(u: User): PublicUser {
  return { id: u.id, name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt };
}

export function checkUserName(name: string): void {
  if (!USER_NAME_PATTERN.test(name))
    throw new StoreError(
      'invalid',
      `user name ${JSON.stringify(name)} must be 2-64 letters, digits or . _ @ -, starting with a letter or digit`,
      ['name'],
    );
}

export function checkRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new StoreError('invalid', `role ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`, [
      'role',
    ]);
}

/** Either the given password (policy-checked) or a generated one, which is returned so it can be shown once. */
async function choosePassword(
  name: string,
  password: string | undefined,
): Promise<{ hash: string; generated?: string }> {
  if (password === undefined) {
    const generated = generatePassword();
    return { hash: await hashPassword(generated), generated };
  }
  const problems = passwordProblems(password, { userName: name });
  if (problems.length) throw new PasswordPolicyError(problems);
  return { hash: await hashPassword(password) };
}

export async function createAccount(
  users: SecurityStore,
  input: { name: string; role: string; password?: string },
): Promise<{ user: PublicUser; generatedPassword?: string }> {
  checkUserName(input.name);
  checkRole(input.role);
  if (await users.getUserByName(input.name))
    throw new StoreError('conflict', `a user named ${JSON.stringify(input.name)} already exists`, ['name']);
  const { hash, generated } = await choosePassword(input.name, input.password);
  const user = await users.createUser({ name: input.name, role: input.role, passwordHash: hash });
  return { user: publicUser(user), ...(generated ? { generatedPassword: generated } : {}) };
}

export async function resetAccountPassword(
  users: SecurityStore,
  id: string,
  password?: string,
): Promise<{ user: PublicUser; generatedPassword?: string }> {
  const existing = await users.getUser(id);
  if (!existing) throw new StoreError('not_found', `no user with id ${JSON.stringify(id)}`, ['id']);
  const { hash, generated } = await choosePassword(existing.name, password);
  const user = await users.updateUser(id, { passwordHash: hash });
  return { user: publicUser(user), ...(generated ? { generatedPassword: generated } : {}) };
}

export const DEMO_USER = 'demo';

/**
 * For the demo quick start: makes sure a `demo` user exists (supervisor, so every screen but user admin
 * can be tried), and gives it a fresh generated password each start (returned, for printing). Never a
 * fixed password: a demo left running on a network must not open to a known one.
 */
export async function ensureDemoUser(
  users: SecurityStore,
  opts: { name?: string; role?: Role } = {},
): Promise<{ name: string; password: string; created: boolean }> {
  const name = opts.name ?? DEMO_USER;
  const role = opts.role ?? 'supervisor';
  const password = generatePassword();
  const hash = await hashPassword(password);
  const existing = await users.getUserByName(name);
  if (existing) {
    await users.updateUser(existing.id, { passwordHash: hash, disabled: false });
    return { name, password, created: false };
  }
  await users.createUser({ name, role, passwordHash: hash });
  return { name, password, created: true };
}

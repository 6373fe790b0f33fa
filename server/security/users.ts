// Account management shared by the users API and `npm run user`. There is never a default password:
// an account gets the password its creator chose (checked against the policy) or a generated one that
// is shown once.
import type { Role, User } from '../domain/model.ts';
import { foldName } from '../domain/names.ts';
import { ROLES } from '../domain/model.ts';
import { StoreError } from '../store/common.ts';
import type { SecurityStore } from '../store/security-store.ts';
import { PasswordPolicyError, generatePassword, hashPassword, passwordProblems } from './passwords.ts';
import { pagesByKey } from '../store/shared/list-key.ts';

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
  // Names are one account ignoring case and Unicode form: `Analyst1` cannot be made beside `analyst1`.
  const same = await users.getUserByName(input.name);
  if (same)
    throw new StoreError(
      'conflict',
      `a user named ${JSON.stringify(same.name)} already exists${same.name === input.name ? '' : ' (names are compared ignoring case and Unicode form)'}`,
      ['name'],
    );
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

export type DemoUser =
  | { name: string; created: true; role: Role; password: string; id: string }
  | { name: string; created: false };

/**
 * For the demo quick start: creates the `demo` account once, as an analyst (the least role that can try
 * the workbench: chart, import, analyse, brief), with a generated password returned to be shown once, and
 * writes the creation to the audit. Once the account exists, a start never touches it again: not its
 * password, not its role, and not its state, so an administrator who disabled it finds it disabled.
 * Never a fixed password: a demo left running on a network must not open to a known one.
 */
export async function ensureDemoUser(
  users: SecurityStore,
  opts: { name?: string; role?: Role; actor?: string } = {},
): Promise<DemoUser> {
  const name = opts.name ?? DEMO_USER;
  const existing = await users.getUserByName(name);
  if (existing) return { name: existing.name, created: false };
  const role = opts.role ?? 'analyst';
  const password = generatePassword();
  let user: User;
  try {
    user = await users.createUser({ name, role, passwordHash: await hashPassword(password) });
  } catch (e) {
    // Another start created it between the look-up and here: it exists, and is left alone.
    if (e instanceof StoreError && e.code === 'conflict') return { name, created: false };
    throw e;
  }
  await users.appendAudit({
    actor: opts.actor ?? 'system:start',
    action: 'users.change',
    route: 'npm start',
    objectIds: [user.id],
    outcome: 'ok',
    details: { created: user.name, role, demo: true },
  });
  return { name: user.name, created: true, role, password, id: user.id };
}

/**
 * Accounts whose names differ only in case or Unicode form (`Analyst1` and `analyst1`), which a store from
 * before names were compared that way may hold. Both are kept (the first is found by any form of the name,
 * the others by their exact names); `npm start` reports them so an administrator can disable the extra ones.
 */
export async function nameClashes(users: SecurityStore): Promise<PublicUser[][]> {
  const groups = new Map<string, PublicUser[]>();
  for await (const page of pagesByKey((after) => users.listUsers({ limit: 1000, after }))) {
    for (const u of page.items) {
      const key = foldName(u.name);
      groups.set(key, [...(groups.get(key) ?? []), publicUser(u)]);
    }
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

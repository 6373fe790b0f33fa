// npm run user -- create NAME --role ROLE | list | disable NAME | enable NAME | reset NAME | role NAME ROLE
// Accounts are only ever created with a password someone chose or one generated here and printed once:
// LINKCHART_PASSWORD from the environment, else a hidden prompt on a terminal, else generated.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ROLES } from '../domain/model.ts';
import { openStore } from '../store/open-store.ts';
import { StoreError } from '../store/common.ts';
import type { SecurityStore } from '../store/security-store.ts';
import type { Stores } from '../store/stores.ts';
import { PasswordPolicyError, passwordProblems } from '../security/passwords.ts';
import {
  checkRole,
  createAccount,
  nameClashes,
  publicUser,
  resetAccountPassword,
} from '../security/users.ts';

const USAGE = `usage: npm run user -- <command>
  create NAME --role ${ROLES.join('|')}   create a user (password from LINKCHART_PASSWORD, a prompt, or generated)
  list                                  list users
  disable NAME | enable NAME            disable (ends their sessions at the next request) or re-enable
  reset NAME                            set a new password (as for create)
  role NAME ROLE                        change a role
The store is the one LINKCHART_DB (or NEO4J_URI) names.`;

class UsageError extends Error {}

async function prompt(question: string): Promise<string> {
  // Echo nothing while the password is typed.
  let muted = false;
  const out = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/** undefined: generate one. */
async function passwordFor(name: string): Promise<string | undefined> {
  const env = process.env.LINKCHART_PASSWORD;
  if (env) return env;
  if (!process.stdin.isTTY) return undefined;
  for (;;) {
    const a = await prompt(`Password for ${name} (empty: generate one): `);
    if (!a) return undefined;
    const problems = passwordProblems(a, { userName: name });
    if (problems.length) {
      console.error(`Not accepted: ${problems.join('; ')}`);
      continue;
    }
    if ((await prompt('Again: ')) === a) return a;
    console.error('The two entries differ; try again.');
  }
}

async function byName(security: SecurityStore, name: string | undefined) {
  if (!name) throw new UsageError('a user NAME is required');
  const u = await security.getUserByName(name);
  if (!u) throw new StoreError('not_found', `no user named ${JSON.stringify(name)}`);
  return u;
}

export async function runUserCli(argv: string[], security: SecurityStore): Promise<string> {
  const [cmd, name, ...rest] = argv;
  const actor = `cli:${userInfo().username}`;
  const audit = (action: string, ids: string[], details: Record<string, unknown>) =>
    security.appendAudit({ actor, action, route: `cli user ${cmd}`, objectIds: ids, outcome: 'ok', details });
  switch (cmd) {
    case 'create': {
      if (!name) throw new UsageError('create needs a NAME');
      const i = rest.indexOf('--role');
      const role = i >= 0 ? rest[i + 1] : undefined;
      if (!role) throw new UsageError(`create needs --role (${ROLES.join(', ')})`);
      checkRole(role);
      const out = await createAccount(security, { name, role, password: await passwordFor(name) });
      await audit('users.change', [out.user.id], { created: name, role });
      return out.generatedPassword
        ? `created ${role} ${name}\ngenerated password (shown once): ${out.generatedPassword}`
        : `created ${role} ${name}`;
    }
    case 'list': {
      const page = await security.listUsers({ limit: 10_000 });
      // Names that fold alike (a store from before names were compared ignoring case) are pointed out.
      const clashes = (await nameClashes(security)).map(
        (g) => `warning: ${g.map((u) => u.name).join(', ')} differ only in case or Unicode form`,
      );
      return [
        ...page.items
          .map(publicUser)
          .map((u) => `${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}\t${u.createdAt}`),
        ...clashes,
      ].join('\n');
    }
    case 'disable':
    case 'enable': {
      const u = await byName(security, name);
      await security.updateUser(u.id, { disabled: cmd === 'disable' });
      await audit('users.change', [u.id], { [cmd === 'disable' ? 'disabled' : 'enabled']: u.name });
      return `${cmd}d ${u.name}`;
    }
    case 'reset': {
      const u = await byName(security, name);
      const out = await resetAccountPassword(security, u.id, await passwordFor(u.name));
      await audit('users.change', [u.id], { passwordReset: u.name });
      return out.generatedPassword
        ? `new password for ${u.name} (shown once): ${out.generatedPassword}`
        : `password changed for ${u.name}`;
    }
    case 'role': {
      const u = await byName(security, name);
      const role = rest[0];
      if (!role) throw new UsageError('role needs NAME ROLE');
      checkRole(role);
      await security.updateUser(u.id, { role });
      await audit('users.change', [u.id], { role: { from: u.role, to: role } });
      return `${u.name} is now ${role}`;
    }
    default:
      throw new UsageError(cmd ? `unknown command ${JSON.stringify(cmd)}` : 'no command given');
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let stores: Stores | null = null;
  try {
    stores = await openStore();
    console.log(await runUserCli(argv, stores.security));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof PasswordPolicyError || e instanceof StoreError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  } finally {
    await stores?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}

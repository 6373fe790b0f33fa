import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { verifyPassword } from '../../server/security/passwords.ts';
import { ensureDemoUser } from '../../server/security/users.ts';
import { tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
beforeAll(async () => {
  ts = await tempStore();
  await ts.stores.close();
});
afterAll(async () => {
  ts.stores = await openSqliteStores(ts.dbPath);
  await ts.cleanup();
});

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync('npx', ['tsx', 'server/cli/user.ts', ...args], {
    env: { ...process.env, LINKCHART_DB: ts.dbPath, LINKCHART_PASSWORD: '', ...env },
    encoding: 'utf8',
    input: '',
  });
}

describe('npm run user', () => {
  it('creates the first admin with the password from LINKCHART_PASSWORD, refuses a weak one, generates one otherwise', async () => {
    const weak = cli(['create', 'chief', '--role', 'admin'], { LINKCHART_PASSWORD: 'password1234' });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/commonly used/);
    const ok = cli(['create', 'chief', '--role', 'admin'], {
      LINKCHART_PASSWORD: 'Granite-Harbour-Lantern-4',
    });
    expect(ok.status, ok.stderr).toBe(0);
    const gen = cli(['create', 'ana', '--role', 'analyst']);
    expect(gen.status, gen.stderr).toBe(0);
    const pw = /shown once\): (\S+)/.exec(gen.stdout)?.[1];
    expect(pw).toHaveLength(20);
    expect(cli(['create', 'bob', '--role', 'boss']).status).toBe(1);
    const dis = cli(['disable', 'ana']);
    expect(dis.status, dis.stderr).toBe(0);
    const list = cli(['list']);
    expect(list.stdout).toMatch(/chief\tadmin/);
    expect(list.stdout).toMatch(/ana\tanalyst\tdisabled/);

    const stores = await openSqliteStores(ts.dbPath);
    const store = stores.security;
    try {
      expect(
        await verifyPassword('Granite-Harbour-Lantern-4', (await store.getUserByName('chief'))!.passwordHash),
      ).toBe(true);
      expect(await verifyPassword(pw!, (await store.getUserByName('ana'))!.passwordHash)).toBe(true);
      const audit = (await store.listAudit({ action: 'users.change' })).items;
      expect(audit.map((a) => a.route)).toEqual(['cli user create', 'cli user create', 'cli user disable']);
      // The demo user is created once (an analyst, with a generated password) and never changed again.
      const d1 = await ensureDemoUser(store);
      const d2 = await ensureDemoUser(store);
      expect(d1).toMatchObject({ name: 'demo', created: true, role: 'analyst' });
      expect(d2).toEqual({ name: 'demo', created: false });
      const demoPassword = d1.created ? d1.password : '';
      expect(await verifyPassword(demoPassword, (await store.getUserByName('demo'))!.passwordHash)).toBe(
        true,
      );
    } finally {
      await stores.close();
    }
  }, 60_000);
});

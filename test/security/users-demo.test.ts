import './fast-kdf.ts';
// The demo account (issue 16): `npm start` used to re-enable `demo` on every start, as a supervisor, with a
// new password, even after an administrator had disabled it, and wrote no audit record. Now it is created
// once, as an analyst, the creation audited, and never touched by a later start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/security/passwords.ts';
import { ensureDemoUser } from '../../server/security/users.ts';
import { tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
beforeAll(async () => {
  ts = await tempStore();
});
afterAll(async () => {
  await ts.cleanup();
});

describe('the demo account', () => {
  it('is created once, as an analyst, with a generated password, and the creation is audited', async () => {
    const sec = ts.stores.security;
    const first = await ensureDemoUser(sec, { actor: 'start:tester' });
    expect(first).toMatchObject({ name: 'demo', created: true, role: 'analyst' });
    if (!first.created) throw new Error('unreachable');
    expect(first.password).toHaveLength(20);
    const demo = (await sec.getUserByName('demo'))!;
    expect(demo).toMatchObject({ role: 'analyst', disabled: false });
    expect(await verifyPassword(first.password, demo.passwordHash)).toBe(true);
    const audit = (await sec.listAudit({ objectId: demo.id })).items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'start:tester',
      action: 'users.change',
      route: 'npm start',
      outcome: 'ok',
      details: { created: 'demo', role: 'analyst', demo: true },
    });
    // The password is nowhere in the record.
    expect(JSON.stringify(audit[0])).not.toContain(first.password);
  });

  it('a later start leaves it as it is: not re-enabled, not re-passworded, not promoted, nothing audited', async () => {
    const sec = ts.stores.security;
    const before = (await sec.getUserByName('demo'))!;
    await sec.updateUser(before.id, { disabled: true });
    const auditBefore = (await sec.listAudit()).total;
    for (let i = 0; i < 3; i++) expect(await ensureDemoUser(sec)).toEqual({ name: 'demo', created: false });
    const after = (await sec.getUserByName('demo'))!;
    expect(after).toEqual({ ...before, disabled: true });
    expect((await sec.listAudit()).total).toBe(auditBefore);
  });

  it('an existing account named DEMO in another case counts as the demo account', async () => {
    const other = await tempStore();
    try {
      await other.stores.security.createUser({ name: 'Demo', role: 'viewer', passwordHash: 'h' });
      expect(await ensureDemoUser(other.stores.security)).toEqual({ name: 'Demo', created: false });
      expect((await other.stores.security.listUsers()).total).toBe(1);
    } finally {
      await other.cleanup();
    }
  });
});

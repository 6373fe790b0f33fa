// The keyed audit chain: HMAC-SHA-256 under a key kept outside the database. Re-chaining without the key
// fails verification, an unkeyed trail written before keying still verifies once sealed, the key comes from
// LINKCHART_AUDIT_KEY, LINKCHART_AUDIT_KEY_FILE or a file made beside the SQLite database (mode 0600), and
// a store opened with the wrong key, or without the key on a keyed trail, refuses. SQLite and Neo4j alike.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditInput } from '../../server/domain/model.ts';
import {
  auditHash,
  AuditKey,
  chainAudit,
  GENESIS_HASH,
  isKeyedHash,
  verifyAuditChain,
} from '../../server/security/audit-chain.ts';
import { defaultAuditKeyFile, resolveAuditKey } from '../../server/security/audit-key.ts';
import { verifyStoreAudit } from '../../server/security/audit-verify.ts';
import { openStore } from '../../server/store/open-store.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import type { SecurityStore } from '../../server/store/security-store.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from '../neo4j/harness.ts';

const K1 = new AuditKey('k'.repeat(40), 'test');
const K2 = new AuditKey('z'.repeat(40), 'other');
const rec = (i: number): AuditInput => ({
  actor: 'ana',
  action: 'read',
  outcome: 'ok',
  objectIds: [`e${i}`],
});

function chain(n: number, keyFrom: number | null, key = K1, start: AuditEvent[] = []): AuditEvent[] {
  const out = [...start];
  for (let i = 0; i < n; i++) {
    const seq = out.length + 1;
    const prev = out.at(-1)?.hash ?? GENESIS_HASH;
    const k = keyFrom !== null && seq >= keyFrom ? key : null;
    out.push(chainAudit(rec(seq), seq, '2025-01-01T00:00:00.000Z', prev, k).event);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'linkchart-audit-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbFile = () => join(dir, `s${++n}.db`);

describe('keyed chain', () => {
  it('verifies with the key, not without it, and not with another', () => {
    const c = chain(5, 1);
    expect(c.every((e) => isKeyedHash(e.hash) && e.hash.length === 67)).toBe(true);
    expect(verifyAuditChain(c, GENESIS_HASH, K1)).toBeNull();
    expect(verifyAuditChain(c)).toMatchObject({ seq: 1, needsKey: true });
    expect(verifyAuditChain(c, GENESIS_HASH, K2)).toMatchObject({ seq: 1, reason: /altered/ });
    const edited = c.map((e) => (e.seq === 3 ? { ...e, actor: 'bob' } : e));
    expect(verifyAuditChain(edited, GENESIS_HASH, K1)).toMatchObject({ seq: 3, reason: /altered/ });
  });

  it('a re-chain without the key fails: wholly unkeyed, or unkeyed after keyed records', async () => {
    const honest = chain(6, 1);
    // Record 4 deleted, everything re-chained with the project's function, without the key.
    const kept = honest.filter((e) => e.seq !== 4);
    const forged: AuditEvent[] = [];
    for (const e of kept) {
      const seq = forged.length + 1;
      const input = { actor: e.actor, action: e.action, outcome: e.outcome, objectIds: e.objectIds };
      forged.push(chainAudit(input, seq, e.at, forged.at(-1)?.hash ?? GENESIS_HASH).event);
    }
    expect(verifyAuditChain(forged)).toBeNull(); // as a chain of hashes, it holds...
    const store = { listAudit: async () => ({ items: forged, total: 5, offset: 0, limit: 5000 }) };
    const r = await verifyStoreAudit(store, { key: K1 }); // ...but the key holder rejects it
    expect(r.broken).toMatchObject({ seq: 1, reason: /not keyed, nor is any record after it/ });
    // Keeping the keyed records before the deletion and re-chaining only after it (chainAudit refuses to
    // put an unkeyed record after a keyed one, so the plain hash function does it):
    const partial = honest.slice(0, 3);
    for (const e of honest.slice(4)) {
      const { hash: _h, ...body } = { ...e, seq: partial.length + 1, prevHash: partial.at(-1)!.hash };
      partial.push({ ...body, hash: auditHash(body) });
    }
    expect(verifyAuditChain(partial, GENESIS_HASH, K1)).toMatchObject({
      seq: 4,
      reason: /not keyed but follows keyed records/,
    });
  });

  it('an unkeyed trail from before keying verifies once a keyed record follows it, and stays fixed', () => {
    const c = chain(6, 4);
    expect(c.map((e) => isKeyedHash(e.hash))).toEqual([false, false, false, true, true, true]);
    expect(verifyAuditChain(c, GENESIS_HASH, K1)).toBeNull();
    // Editing an old record and recomputing the old hashes breaks the first keyed one.
    const old = chain(3, null).map((e) => e);
    const changed = chainAudit({ ...rec(2), actor: 'eve' }, 2, old[1].at, old[0].hash).event;
    const third = chainAudit(rec(3), 3, old[2].at, changed.hash).event;
    const rewritten = [c[0], changed, third, ...c.slice(3)];
    expect(verifyAuditChain(rewritten, GENESIS_HASH, K1)).toMatchObject({
      seq: 4,
      reason: /does not follow/,
    });
  });

  it('a store without the key does not extend a keyed trail', () => {
    const c = chain(2, 1);
    expect(() => chainAudit(rec(3), 3, 'now', c[1].hash)).toThrow(/keyed.*without its key/);
  });

  it('never shows the secret', () => {
    expect(JSON.stringify({ k: K1 })).not.toContain('kkkk');
    expect(String(Object.keys(K1))).not.toContain('kkkk');
  });
});

describe('where the key comes from', () => {
  it('LINKCHART_AUDIT_KEY, LINKCHART_AUDIT_KEY_FILE, not both, not short', () => {
    const file = join(dir, 'key.txt');
    writeFileSync(file, `${'f'.repeat(44)}\n`, { mode: 0o600 });
    expect(resolveAuditKey({ LINKCHART_AUDIT_KEY: 'v'.repeat(32) }).key?.source).toBe('LINKCHART_AUDIT_KEY');
    expect(resolveAuditKey({ LINKCHART_AUDIT_KEY_FILE: file }).key?.source).toBe(file);
    expect(() =>
      resolveAuditKey({ LINKCHART_AUDIT_KEY: 'v'.repeat(32), LINKCHART_AUDIT_KEY_FILE: file }),
    ).toThrow(/not both/);
    expect(() => resolveAuditKey({ LINKCHART_AUDIT_KEY: 'short' })).toThrow(/too short/);
    expect(() => resolveAuditKey({ LINKCHART_AUDIT_KEY_FILE: join(dir, 'missing') })).toThrow(
      /cannot read the audit key file/,
    );
    // Neo4j has no file of its own: the key is required to write, optional to verify.
    expect(() => resolveAuditKey({})).toThrow(/Neo4j store needs an audit key/);
    expect(resolveAuditKey({}, { mode: 'verify' }).key).toBeNull();
  });

  it('a key file beside the SQLite database, made at the first start with mode 0600, said where', async () => {
    const db = dbFile();
    const said: string[] = [];
    const s1 = await openStore({ LINKCHART_DB: db }, { log: (m) => said.push(m) });
    const keyFile = defaultAuditKeyFile(db);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(said.join('\n')).toContain(keyFile);
    const e = await s1.security.appendAudit(rec(1));
    expect(isKeyedHash(e.hash)).toBe(true);
    await s1.close();
    // The next start uses it, and says nothing.
    said.length = 0;
    const s2 = await openStore({ LINKCHART_DB: db }, { log: (m) => said.push(m) });
    await s2.security.appendAudit(rec(2));
    expect(said).toEqual([]);
    const key = resolveAuditKey({}, { dbPath: db, mode: 'verify' }).key;
    expect((await verifyStoreAudit(s2.security, { key })).broken).toBeNull();
    await s2.close();
    // A tool opening the file directly finds the key beside it.
    const direct = await openSqliteStores(db);
    expect(isKeyedHash((await direct.security.appendAudit(rec(3))).hash)).toBe(true);
    await direct.close();
  });

  it('seals a trail written before keying when it makes the key; refuses one with a key set', async () => {
    const db = dbFile();
    const old = await openSqliteStores(db, { auditKey: null });
    for (let i = 1; i <= 3; i++) await old.security.appendAudit(rec(i));
    await old.close();
    const env = { LINKCHART_DB: db, LINKCHART_AUDIT_KEY: 'e'.repeat(40) };
    await expect(openStore(env, { log: () => {} })).rejects.toThrow(
      /written without a key.*npm run audit:verify -- --seal/,
    );
    const said: string[] = [];
    const s = await openStore({ LINKCHART_DB: db }, { log: (m) => said.push(m) });
    expect(said.join('\n')).toMatch(/3 earlier records were written without a key; record 4 now seals them/);
    const items = (await s.security.listAudit()).items;
    expect(items.map((e) => isKeyedHash(e.hash))).toEqual([false, false, false, true]);
    expect(items[3]).toMatchObject({
      actor: 'system',
      action: 'audit.keyed',
      details: { unkeyedRecords: 3 },
    });
    await s.close();
  });

  it('refuses a wrong key, and a lost key file, at start', async () => {
    const db = dbFile();
    const s = await openStore({ LINKCHART_DB: db }, { log: () => {} });
    await s.security.appendAudit(rec(1));
    await s.close();
    await expect(
      openStore({ LINKCHART_DB: db, LINKCHART_AUDIT_KEY: 'w'.repeat(40) }, { log: () => {} }),
    ).rejects.toThrow(/does not match the last audit record \(1\)/);
    rmSync(defaultAuditKeyFile(db));
    await expect(openStore({ LINKCHART_DB: db }, { log: () => {} })).rejects.toThrow(/restore the key file/);
    // The key made for that failed start is not left behind to be taken for the real one.
    expect(existsSync(defaultAuditKeyFile(db))).toBe(false);
  });
});

describe('npm run audit:verify', () => {
  const verify = (db: string, args: string[] = [], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts', ...args], {
      env: {
        ...process.env,
        LINKCHART_DB: db,
        LINKCHART_AUDIT_KEY: '',
        LINKCHART_AUDIT_KEY_FILE: '',
        ...env,
      },
      encoding: 'utf8',
    });

  it('says a keyed chain cannot be verified without the key; seals an unkeyed one with --seal', async () => {
    const db = dbFile();
    const old = await openSqliteStores(db, { auditKey: null });
    for (let i = 1; i <= 3; i++) await old.security.appendAudit(rec(i));
    await old.close();
    const plain = verify(db);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/intact: 3 records.*not verified with a key/);
    expect(existsSync(defaultAuditKeyFile(db))).toBe(false); // verifying makes no key

    const env = { LINKCHART_AUDIT_KEY: 's'.repeat(40) };
    const unsealed = verify(db, [], env);
    expect(unsealed.status).toBe(1);
    expect(unsealed.stderr).toMatch(/BROKEN at record 1: record 1 is not keyed/);
    const sealed = verify(db, ['--seal'], env);
    expect(sealed.status, sealed.stderr).toBe(0);
    expect(sealed.stdout).toMatch(/sealed: the 3 unkeyed records .* covered by record 4/);
    const ok = verify(db, [], env);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /intact: 4 records.*verified with the audit key.*first 3 were written before keying/,
    );

    const noKey = verify(db);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/cannot verify a keyed chain without the audit key: record 4 is keyed/);
    const wrong = verify(db, [], { LINKCHART_AUDIT_KEY: 'x'.repeat(40) });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/BROKEN at record 4: .*altered.*or the key is not the one/);
  }, 60_000);
});

// The same on Neo4j, through the real test server (skipped without Java).
const avail = await neo4jForTests();
describe.skipIf(!avail.ok)('keyed chain on Neo4j', () => {
  let release: () => void = () => {};
  beforeAll(async () => {
    release = await lockDatabase();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    if (avail.ok) await avail.server.close();
  });

  it('chains keyed, refuses a keyless or wrong-keyed store, seals an unkeyed trail only when told', async () => {
    if (!avail.ok) return;
    const { uri, password, driver } = avail.server;
    await avail.server.wipe();
    const open = async (opts: Partial<ConstructorParameters<typeof Neo4jStores>[0]>) => {
      const s = new Neo4jStores({ uri, password, driver, log: () => {}, ...opts });
      await s.init();
      return s;
    };
    const all = async (s: SecurityStore) => (await s.listAudit({ limit: 100 })).items;

    const old = await open({});
    await old.security.appendAudit(rec(1));
    await old.security.appendAudit(rec(2));
    await expect(open({ auditKey: K1 })).rejects.toThrow(/written without a key/);
    const sealing = await open({ auditKey: K1, unkeyedTrail: 'seal' });
    await sealing.security.appendAudit(rec(4));
    const items = await all(sealing.security);
    expect(items.map((e) => isKeyedHash(e.hash))).toEqual([false, false, true, true]);
    expect(verifyAuditChain(items, GENESIS_HASH, K1)).toBeNull();
    expect(verifyAuditChain(items)).toMatchObject({ seq: 3, needsKey: true });
    await expect(old.security.appendAudit(rec(5))).rejects.toThrow(/keyed.*without its key/);
    await expect(open({ auditKey: K2 })).rejects.toThrow(/does not match the last audit record \(4\)/);
    const again = await open({ auditKey: K1 });
    await again.security.appendAudit(rec(5));
    expect((await verifyStoreAudit(again.security, { key: K1 })).broken).toBeNull();
    await avail.server.wipe();
  }, 120_000);
});

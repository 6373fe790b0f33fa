import './fast-kdf.ts';
// Every action the audit can record is in the one list (server/domain/audit-actions.ts) the audit screen's
// filter names in words. Walks the real app's routes (each route's own action, or the one its permission
// and method give) and the writers outside the routes (the CLI, the deconfliction desk, the key and the
// triggers), so a new action without words fails here as well as in the web app's type check.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { AUDIT_ACTIONS, inferAction } from '../../server/security/audit.ts';
import type { Permission } from '../../server/security/permissions.ts';
import { AUDIT_ACTION_WORDS } from '../../web/src/admin/access.ts';
import { tempStore, type TempStore } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Seen {
  method: string;
  url: string;
  access: Permission | undefined;
  audit: string | false | undefined;
}

let ts: TempStore;
const seen: Seen[] = [];

beforeAll(async () => {
  ts = await tempStore();
  // Skips encapsulation (fastify-plugin's marker), so the hook sees every route the app registers later.
  const collect: FastifyPluginAsync = async (app) => {
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat())
        seen.push({ method: String(method), url: r.url, access: r.config?.access, audit: r.config?.audit });
    });
  };
  (collect as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  const config = { ...loadConfig({}), webDist: '/nonexistent-linkchart-web' };
  const app = await buildApp({ stores: ts.stores, config, plugins: [collect] });
  await app.ready();
  await app.close();
});
afterAll(async () => {
  await ts?.cleanup();
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('audit actions', () => {
  it('every route records an action of the list', () => {
    const api = seen.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(50);
    const missing: string[] = [];
    let named = 0;
    for (const r of api) {
      const action =
        r.audit === false
          ? null
          : typeof r.audit === 'string'
            ? r.audit
            : inferAction(r.access, r.method, r.url);
      if (typeof r.audit === 'string') named++;
      if (action !== null && !(AUDIT_ACTIONS as readonly string[]).includes(action))
        missing.push(`${r.method} ${r.url}: ${action}`);
    }
    // The operations, deconfliction, duplicates and targets routes name theirs.
    expect(named).toBeGreaterThanOrEqual(15);
    expect(missing).toEqual([]);
  });

  it('every record written outside the routes names an action of the list', () => {
    // An audit record is an object with an action and an outcome (`action: 'x', … outcome: …`, the
    // shape AuditInput asks for), or goes through a helper whose first argument is a dotted action (the
    // user CLI's `audit('users.change', …)`; the import CLI's helper takes the outcome). Other `action:`
    // fields (a duplicate's accept or reject) carry no outcome.
    const found = new Map<string, string>();
    for (const file of sources(join(ROOT, 'server'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\baction: '([a-z][a-z.]*)'/g))
        if (/\boutcome\b/.test(text.slice(m.index, m.index + 300))) found.set(m[1], file);
      if (/appendAudit/.test(text))
        for (const m of text.matchAll(/\baudit\('([a-z]+\.[a-z.]+)'/g)) found.set(m[1], file);
    }
    // Those writers are found at all (the scan would otherwise pass on nothing).
    for (const a of ['deconfliction.notice', 'anonymous.failures', 'audit.keyed', 'users.change'])
      expect(found.has(a), a).toBe(true);
    const missing = [...found]
      .filter(([a]) => !(AUDIT_ACTIONS as readonly string[]).includes(a))
      .map(([a, f]) => `${a} (${f.slice(ROOT.length)})`);
    expect(missing).toEqual([]);
  });

  it('the audit screen names every action in words, and only those', () => {
    expect(Object.keys(AUDIT_ACTION_WORDS).sort()).toEqual([...AUDIT_ACTIONS].sort());
    for (const a of AUDIT_ACTIONS) expect(AUDIT_ACTION_WORDS[a].length, a).toBeGreaterThan(3);
  });
});

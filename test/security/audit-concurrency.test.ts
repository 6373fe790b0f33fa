// Group commit seen from outside: 200 expansions sent at once over real HTTP, by two users, each answered
// with its own subgraph, each with exactly one audit record naming that user, that entity and the ids
// that response showed; the records went to the store in fewer transactions than requests, and the
// chain verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { securedApp } from './app.ts';
import { createRoleUsers, signIn, tempStore, type TempStore } from './helpers.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { loadSeed } from '../../seed/load.ts';

let ts: TempStore;
let app: FastifyInstance;
let url: string;
const groups: number[] = [];

beforeAll(async () => {
  ts = await tempStore();
  await loadSeed(ts.stores, { size: 'demo', truthFile: null });
  await createRoleUsers(ts.stores.security, ['analyst', 'viewer']);
  const batch = ts.stores.security.appendAuditBatch.bind(ts.stores.security);
  ts.stores.security.appendAuditBatch = (inputs) => {
    groups.push(inputs.length);
    return batch(inputs);
  };
  app = await securedApp(ts.stores);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('audit under concurrent requests', () => {
  it('gives every response its own record, in fewer transactions than requests', async () => {
    const users = { analyst: await signIn(app, 'analyst'), viewer: await signIn(app, 'viewer') };
    const entities = (await ts.stores.graph.listEntities({ limit: 100 })).items.map((e) => e.id);
    const before = (await ts.stores.security.listAudit({ limit: 1 })).total;
    groups.length = 0;
    const requests = Array.from({ length: 200 }, (_, i) => ({
      who: i % 2 ? ('viewer' as const) : ('analyst' as const),
      id: entities[i % entities.length],
    }));
    const answers = await Promise.all(
      requests.map(async (r) => {
        const res = await fetch(`${url}/api/entities/${r.id}/neighbourhood?hops=1`, {
          headers: { cookie: users[r.who].cookie },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { nodes: { id: string }[]; links: { id: string }[] };
        return { ...r, shown: [...body.nodes.map((n) => n.id), ...body.links.map((l) => l.id)] };
      }),
    );
    const records = (await ts.stores.security.listAudit({ offset: before, limit: 1000 })).items;
    expect(records).toHaveLength(200);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(200);
    expect(groups.length).toBeLessThan(200);
    // Match records to requests by what they name: same user, same entity, same ids shown.
    const key = (who: string, ids: string[]) => `${who} ${[...new Set(ids)].sort().join(',')}`;
    const want = answers.map((a) => key(a.who, [a.id, ...a.shown])).sort();
    const got = records
      .map((e) => {
        expect(e).toMatchObject({
          action: 'expand',
          outcome: 'ok',
          route: 'GET /api/entities/:id/neighbourhood',
        });
        return key(e.actor, e.objectIds);
      })
      .sort();
    expect(got).toEqual(want);
    expect(verifyAuditChain((await ts.stores.security.listAudit({ limit: 10_000 })).items)).toBeNull();
  });
});

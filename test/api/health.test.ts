// /api/health keeps its counts for the data version they were taken at: a probe during heavy work costs one
// row read, and any write (which moves the data version) is reflected at the next probe. Counts, the data
// version, the store and the limits are for signed-in users: anyone else learns that the service is up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './server-harness.ts';

type Health = { store: { dataVersion: number }; counts: { entities: number; links: number; charts: number } };

describe('/api/health counts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  const health = async (): Promise<Health> =>
    (await (await fetch(`${h.url}/api/health`, { headers: h.auth })).json()) as Health;

  it('tells a caller who is not signed in only that the service is up', async () => {
    const r = await fetch(`${h.url}/api/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
    // A cookie that is no session is no one.
    const forged = await fetch(`${h.url}/api/health`, { headers: { cookie: 'linkchart_session=forged' } });
    expect(await forged.json()).toEqual({ status: 'ok' });
    const signedIn = (await health()) as Health & { version: string; limits: object; store: object };
    expect(signedIn).toMatchObject({ status: 'ok', store: { kind: 'sqlite' } });
    expect(signedIn.counts.entities).toEqual(expect.any(Number));
    // The web app sizes its requests from these: an interactive view above maxViewLinks is refused.
    expect(signedIn.limits).toMatchObject({
      maxViewLinks: expect.any(Number),
      maxAnalysisLinks: expect.any(Number),
      maxExpansionNodes: expect.any(Number),
    });
  });

  it('answers from the cache while the data version holds, and counts again after a write', async () => {
    const before = await health();
    let calls = 0;
    const counts = h.stores.counts.bind(h.stores);
    h.stores.counts = () => {
      calls++;
      return counts();
    };
    try {
      await Promise.all([health(), health(), health()]);
      expect(calls).toBe(0);
      await h.stores.graph.writeBatch(
        {
          entities: [
            { type: 'Person', label: 'Health Probe One' },
            { type: 'Person', label: 'Health Probe Two' },
          ],
          links: [
            {
              type: 'ASSOCIATE_OF',
              from: { type: 'Person', key: 'health probe one' },
              to: { type: 'Person', key: 'health probe two' },
            },
          ],
        },
        { actor: 'test' },
      );
      const after = await health();
      expect(calls).toBe(1);
      expect(after.store.dataVersion).toBeGreaterThan(before.store.dataVersion);
      expect(after.counts.entities).toBe(before.counts.entities + 2);
      expect(after.counts.links).toBe(before.counts.links + 1);
      await h.stores.workspace.saveChart({ name: 'c', state: {} }, { actor: 'test' });
      expect((await health()).counts.charts).toBe(before.counts.charts + 1);
      expect(calls).toBe(2);
    } finally {
      h.stores.counts = counts;
    }
  });
});

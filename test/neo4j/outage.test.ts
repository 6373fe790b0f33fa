// Neo4j going away and coming back, through a real TCP relay in front of the real test server: while the
// relay is shut, every call is refused with a 503 within 2 s (and, once the first has found the outage, at
// once), the outage and the recovery are logged, and calls succeed again when the relay reopens, on the same
// stores, without a restart. Also a server that was never there: refused within 2 s.
import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../server/store/common.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

/** A TCP relay to the Neo4j server that can be shut (dropping every connection) and reopened on its port. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((res) => server.listen(this.port, '127.0.0.1', () => res()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async shut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((res) => server.close(() => res()));
  }
}

async function outcome(p: Promise<unknown>): Promise<{ ms: number; error: StoreError | null }> {
  const t0 = performance.now();
  try {
    await p;
    return { ms: performance.now() - t0, error: null };
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    return { ms: performance.now() - t0, error: e };
  }
}

describe('Neo4j outages', () => {
  it('refuses calls to a server that is not there with a 503 within 2 s, then at once', async () => {
    const free = createServer();
    await new Promise<void>((res) => free.listen(0, '127.0.0.1', () => res()));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((res) => free.close(() => res()));
    const lines: string[] = [];
    const stores = new Neo4jStores({
      uri: `bolt://127.0.0.1:${port}`,
      user: 'neo4j',
      password: 'x',
      log: (l: string) => lines.push(l),
    });
    try {
      const first = await outcome(stores.graph.getEntity('e1'));
      expect(first.error?.code).toBe('unavailable');
      expect(first.ms).toBeLessThan(2_000);
      const second = await outcome(stores.graph.listLinks());
      expect(second.error?.code).toBe('unavailable');
      expect(second.error?.message).toMatch(/cannot be reached \(since .*tries it every 1 s/);
      expect(second.ms).toBeLessThan(50);
      expect(lines.filter((l) => /answering 503 until it is back/.test(l))).toHaveLength(1);
    } finally {
      await stores.close();
    }
  });

  describe.skipIf(!avail.ok)('a server that goes away and comes back', () => {
    let release: () => void = () => {};
    let relay: Relay;
    let stores: Neo4jStores;
    const lines: string[] = [];
    beforeAll(async () => {
      release = await lockDatabase();
      if (!avail.ok) return;
      await avail.server.wipe();
      const url = new URL(avail.server.uri.replace(/^bolt:/, 'http:'));
      relay = new Relay({ host: url.hostname, port: Number(url.port) });
      await relay.open();
      stores = new Neo4jStores({
        uri: `bolt://127.0.0.1:${relay.port}`,
        user: 'neo4j',
        password: avail.server.password,
        log: (l: string) => lines.push(l),
      });
      await stores.init();
    }, LOCK_WAIT_MS);
    afterAll(async () => {
      await stores?.close();
      await relay?.shut();
      release();
      if (avail.ok) await avail.server.close();
    });

    it('answers 503 within 2 s while it is gone, logs it, and serves again without a restart', async () => {
      await stores.graph.writeBatch({ entities: [{ type: 'Person', label: 'Ann Lee' }] }, { actor: 'ana' });
      expect((await stores.graph.search('Ann Lee')).length).toBe(1);
      await relay.shut();
      const during = [];
      for (let i = 0; i < 5; i++) during.push(await outcome(stores.graph.search('Ann Lee')));
      for (const d of during) {
        expect(d.error?.code).toBe('unavailable');
        expect(d.ms).toBeLessThan(2_000);
      }
      expect(lines.some((l) => /answering 503 until it is back/.test(l))).toBe(true);
      await relay.open();
      // The probe runs once a second: service is back within a few, on the same stores.
      let back = false;
      for (let i = 0; i < 40 && !back; i++) {
        await new Promise((r) => setTimeout(r, 250));
        back = (await outcome(stores.graph.search('Ann Lee'))).error === null;
      }
      expect(back).toBe(true);
      expect(lines.some((l) => /answers again after/.test(l))).toBe(true);
      expect((await stores.graph.search('Ann Lee')).length).toBe(1);
    });
  });
});

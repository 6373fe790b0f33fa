// The Neo4j store over a network that drops connections: a small TCP proxy between the driver and the test
// server cuts every open connection the moment it next carries a request. The store's managed transactions
// retry on a fresh connection, so the caller sees its write and read succeed. Also: a routing (neo4j://)
// address is accepted and works against a single server.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jConfigFromEnv, openNeo4jFromEnv } from '../../server/store/neo4j/open.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { person } from '../contract/fixtures.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

/** Forwards to `port`; `cut()` arms every open connection to be destroyed when the client next sends. */
class CuttingProxy {
  readonly server: Server;
  private readonly open = new Set<{ client: Socket; upstream: Socket; armed: boolean }>();
  cuts = 0;

  constructor(port: number) {
    this.server = createServer((client) => {
      const upstream = connect(port, '127.0.0.1');
      const pair = { client, upstream, armed: false };
      this.open.add(pair);
      client.on('data', (d) => {
        if (pair.armed) {
          // Mid-way: the request is lost and the connection dies under the driver.
          this.cuts++;
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(d);
      });
      upstream.on('data', (d) => client.write(d));
      const drop = () => {
        this.open.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', drop);
      upstream.on('close', drop);
      client.on('error', drop);
      upstream.on('error', drop);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      }),
    );
  }

  /** Connections open now die on their next request; new ones are left alone. */
  cut(): number {
    for (const p of this.open) p.armed = true;
    return this.open.size;
  }

  close(): Promise<void> {
    for (const p of this.open) {
      p.client.destroy();
      p.upstream.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe.skipIf(!avail.ok)('Neo4j store through a network that drops connections', () => {
  let release: () => void = () => {};
  let proxy: CuttingProxy;
  let stores: Neo4jStores;

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    await avail.server.wipe();
    const port = Number(new URL(avail.server.uri).port);
    proxy = new CuttingProxy(port);
    const via = await proxy.listen();
    stores = new Neo4jStores({ uri: `bolt://127.0.0.1:${via}`, password: avail.server.password });
    await stores.init();
  }, LOCK_WAIT_MS);

  afterAll(async () => {
    await stores?.close();
    await proxy?.close();
    release();
    if (avail.ok) await avail.server.close();
  });

  it('retries a write and a read whose connection is cut mid-way, and both succeed', async () => {
    await stores.graph.writeBatch({ entities: [person('Warm Up')] }, { actor: 'test' });
    expect(proxy.cut()).toBeGreaterThan(0);
    const r = await stores.graph.writeBatch({ entities: [person('Cut Write')] }, { actor: 'test' });
    expect(r.entities.created).toBe(1);
    expect(proxy.cuts).toBeGreaterThan(0);
    const before = proxy.cuts;
    expect(proxy.cut()).toBeGreaterThan(0);
    const hits = await stores.graph.search('Cut Write');
    expect(hits.map((h) => h.entity.label)).toContain('Cut Write');
    expect(proxy.cuts).toBeGreaterThan(before);
    // Sessions too (the tier's shared state goes through the same executor).
    proxy.cut();
    await stores.sessions.putSession({
      tokenHash: 'h1',
      userId: 'u1',
      userName: 'ana',
      role: 'analyst',
      csrf: 'c',
      createdAt: 1,
      lastSeen: 1,
    });
    proxy.cut();
    expect((await stores.sessions.getSession('h1'))?.userName).toBe('ana');
  });

  it('accepts a routing address (neo4j://) and reads its own writes through it', async () => {
    if (!avail.ok) return;
    const port = new URL(avail.server.uri).port;
    const cfg = neo4jConfigFromEnv({
      NEO4J_URI: `neo4j://127.0.0.1:${port}`,
      NEO4J_PASSWORD: avail.server.password,
    });
    expect(cfg?.uri).toBe(`neo4j://127.0.0.1:${port}`);
    const routed = await openNeo4jFromEnv(cfg!);
    try {
      await routed.graph.writeBatch({ entities: [person('Routed Person')] }, { actor: 'test' });
      const hits = await routed.graph.search('Routed Person');
      expect(hits.map((h) => h.entity.label)).toContain('Routed Person');
    } finally {
      await routed.close();
    }
  });
});

describe.skipIf(avail.ok)('Neo4j store through a network that drops connections', () => {
  it.skip(avail.ok ? '' : avail.reason, () => {});
});

// Neo4j going away and coming back: calls fail fast with StoreError('unavailable') (the API's 503) and the
// same store works again once the server is reachable, with nothing cached from the dead spell. The outage is
// a TCP relay in front of the real server being closed and reopened on the same port.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../server/store/common.ts';
import { neo4jConfigFromEnv, openNeo4jFromEnv } from '../../server/store/neo4j/open.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

/** The call's answer once it succeeds, trying every 200 ms for up to 5 s (the outage probe runs each second). */
async function eventually<T>(call: () => Promise<T>): Promise<T> {
  for (let waited = 0; ; waited += 200) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof StoreError) || e.code !== 'unavailable' || waited >= 5_000) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function relay(target: URL, port = 0): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((c) => {
    const up = connect(Number(target.port), target.hostname);
    sockets.add(c).add(up);
    c.pipe(up).pipe(c);
    const end = () => {
      c.destroy();
      up.destroy();
    };
    c.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const p = (server.address() as { port: number }).port;
      resolve({
        server,
        port: p,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    }),
  );
}

describe.skipIf(!avail.ok)('Neo4j unavailable and back', () => {
  let release: () => void = () => {};
  beforeAll(async () => {
    release = await lockDatabase();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    if (avail.ok) await avail.server.close();
  });

  it('rejects a URI that is not a Neo4j address and selects Neo4j only with NEO4J_URI', () => {
    expect(neo4jConfigFromEnv({})).toBeNull();
    expect(() => neo4jConfigFromEnv({ NEO4J_URI: 'http://user:secret@x:7474' })).toThrow(
      /not a Neo4j address/,
    );
    expect(() => neo4jConfigFromEnv({ NEO4J_URI: 'http://user:secret@x:7474' })).not.toThrow(/secret/);
    expect(
      neo4jConfigFromEnv({ NEO4J_URI: 'bolt://h:1', NEO4J_PASSWORD: 'p', NEO4J_DATABASE: 'db' }),
    ).toEqual({
      uri: 'bolt://h:1',
      user: 'neo4j',
      password: 'p',
      database: 'db',
    });
  });

  it('starts while Neo4j is down, answers unavailable, and recovers by itself', async () => {
    if (!avail.ok) return;
    await avail.server.wipe();
    const target = new URL(avail.server.uri.replace(/^bolt/, 'http'));
    // Reserve a port, then close the relay: nothing listens there while "Neo4j is down".
    const probe = await relay(target);
    const port = probe.port;
    await probe.close();
    const messages: string[] = [];
    const t0 = Date.now();
    const stores = await openNeo4jFromEnv(
      { uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: avail.server.password },
      (m) => messages.push(m),
    );
    try {
      expect(messages.join('\n')).toMatch(/cannot be reached.*503/s);
      const err = await stores.graph.dataVersion().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('unavailable');
      expect(Date.now() - t0).toBeLessThan(30_000);

      const up = await relay(target, port);
      try {
        // Schema applied on the first call that reaches the server, then normal service: once the outage
        // probe (each second) has found it back (server/store/neo4j/outage.ts).
        await eventually(() =>
          stores.graph.writeBatch({ entities: [{ type: 'Person', label: 'Back Again' }] }, { actor: 't' }),
        );
        expect((await stores.counts()).entities).toBe(1);
      } finally {
        await up.close();
      }
      const down = await stores.counts().then(
        () => null,
        (e: unknown) => e,
      );
      expect((down as StoreError).code).toBe('unavailable');
      const again = await relay(target, port);
      try {
        expect((await eventually(() => stores.counts())).entities).toBe(1);
      } finally {
        await again.close();
      }
    } finally {
      await stores.close();
    }
  });
});

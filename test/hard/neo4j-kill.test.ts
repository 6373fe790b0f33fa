// kill -9 of the Neo4j server in the middle of large batched writes (npm run test:hard). On a server of its own
// (its own folder and port, so the shared test server is never touched): batches of 2,000 links (with their
// 2,000 people) are written one after another; while one is in flight the java process is killed with SIGKILL;
// the server is started again (recovery from its transaction log) and every batch the store acknowledged must
// be there whole, and every other batch either whole or absent: never half written. Two kill cycles.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import neo4j from 'neo4j-driver';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { REPO } from '../setup/neo4j.ts';

const PER_BATCH = 2_000;
const home = join(REPO, '.neo4j', `kill-${process.pid}`);
const script = join(REPO, 'cypher/server/neo4j.sh');
let port = 0;
const env = () => ({
  ...process.env,
  LINKCHART_NEO4J_HOME: home,
  NEO4J_BOLT_PORT: String(port),
  NEO4J_START_TIMEOUT: '240',
});
const sh = (cmd: string) =>
  execFileSync('bash', [script, cmd], { env: env(), stdio: ['ignore', 'inherit', 'inherit'] });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function batch(i: number): WriteBatch {
  const key = (j: number) => `b${i}-${j}`;
  return {
    entities: Array.from({ length: PER_BATCH }, (_, j) => ({
      type: 'Person' as const,
      label: `Batch ${i} person ${j}`,
      key: key(j),
      properties: { batch: i },
    })),
    links: Array.from({ length: PER_BATCH }, (_, j) => ({
      type: 'ASSOCIATE_OF' as const,
      from: { type: 'Person' as const, key: key(j) },
      to: { type: 'Person' as const, key: key((j + 1) % PER_BATCH) },
      weight: 1 + (j % 7),
    })),
  };
}

const hasJava = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasJava || process.env.LINKCHART_TEST_NEO4J === '0')(
  'Neo4j killed during a large write',
  () => {
    afterAll(() => {
      try {
        sh('stop');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });

    it('keeps every acknowledged batch and never half a batch', async () => {
      port = await freePort();
      sh('start');
      const password = readFileSync(join(home, 'password'), 'utf8');
      const uri = `bolt://127.0.0.1:${port}`;
      const acknowledged = new Set<number>();
      const attempted = new Set<number>();
      let next = 0;
      for (let cycle = 0; cycle < 2; cycle++) {
        const stores = new Neo4jStores({ uri, password });
        await stores.init();
        const store = stores.graph;
        // A few batches to acknowledge, then one in flight when the process dies.
        for (let k = 0; k < 3; k++) {
          attempted.add(next);
          await store.writeBatch(batch(next), { actor: 'kill-test' });
          acknowledged.add(next++);
        }
        const pid = Number(readFileSync(join(home, 'run', 'neo4j.pid'), 'utf8'));
        const inFlight = next++;
        attempted.add(inFlight);
        const write = store.writeBatch(batch(inFlight), { actor: 'kill-test' }).then(
          () => acknowledged.add(inFlight),
          (e: unknown) => e,
        );
        await new Promise((r) => setTimeout(r, 150 + cycle * 250));
        process.kill(pid, 'SIGKILL');
        const outcome = await write;
        if (!acknowledged.has(inFlight)) expect((outcome as { code?: string }).code).toBe('unavailable');
        console.log(
          `cycle ${cycle}: batch ${inFlight} ${acknowledged.has(inFlight) ? 'was acknowledged' : 'failed'} when the server died`,
        );
        await stores.close().catch(() => undefined);
        sh('start');
      }
      const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', password));
      try {
        for (const i of attempted) {
          const r = await driver.executeQuery(
            `MATCH (e:Entity) WHERE e.key STARTS WITH $p
           OPTIONAL MATCH (e)-[l:ASSOCIATE_OF]->()
           RETURN count(DISTINCT e) AS people, count(l) AS links`,
            { p: `b${i}-` },
          );
          const people = Number(r.records[0].get('people'));
          const links = Number(r.records[0].get('links'));
          if (acknowledged.has(i))
            expect({ i, people, links }).toEqual({ i, people: PER_BATCH, links: PER_BATCH });
          else expect([0, PER_BATCH], `batch ${i}: ${people} people, ${links} links`).toContain(people);
          expect(links, `batch ${i}`).toBe(people);
        }
        const stores = new Neo4jStores({ uri, password, driver });
        const committed = [...attempted].filter((i) => acknowledged.has(i)).length;
        // One data version per committed batch (an unacknowledged batch may still have committed).
        expect(await stores.graph.dataVersion()).toBeGreaterThanOrEqual(committed);
        expect((await stores.counts()).entities % PER_BATCH).toBe(0);
      } finally {
        await driver.close();
      }
    });
  },
);

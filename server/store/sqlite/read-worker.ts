// Worker thread for SqliteReadPool: the graph store on its own read-only connection, answering one call at a
// time.
import { parentPort, workerData } from 'node:worker_threads';
import { StoreError } from '../common.ts';
import { SqliteConnection } from './connection.ts';
import { SqliteGraphStore } from './graph-store.ts';
import { READ_POOL_METHODS, type ReadPoolMethod, type ReadReply } from './read-pool.ts';

const { path } = workerData as { path: string };
const port = parentPort!;

let graph: SqliteGraphStore;
try {
  graph = new SqliteGraphStore(new SqliteConnection(path, { createDir: false, readOnly: true }));
} catch (e) {
  port.postMessage({ type: 'failed', message: (e as Error).message });
  process.exit(1);
}

const allowed = new Set<string>(READ_POOL_METHODS);

port.on('message', (m: { id: number; method: ReadPoolMethod; args: unknown[] }) => {
  const reply = (r: ReadReply): void => port.postMessage(r);
  if (!allowed.has(m.method)) {
    reply({
      id: m.id,
      error: { store: false, message: `${String(m.method)} is not a read this pool answers` },
    });
    return;
  }
  const call = graph[m.method] as (...a: unknown[]) => Promise<unknown>;
  call.apply(graph, m.args).then(
    (value) => reply({ id: m.id, value }),
    (e: unknown) =>
      reply({
        id: m.id,
        error:
          e instanceof StoreError
            ? { store: true, code: e.code, message: e.message, path: e.path }
            : { store: false, message: e instanceof Error ? e.message : String(e) },
      }),
  );
});
port.postMessage({ type: 'ready' });

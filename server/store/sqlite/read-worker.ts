// Worker thread for SqliteReadPool: the graph store on its own read-only connection, answering one call at a
// time.
import { parentPort, workerData } from 'node:worker_threads';
import { packView, viewOptionsSchema, type ViewOptions } from '../../analysis/view.ts';
import { StoreError } from '../common.ts';
import type { AnalysisView } from '../graph-store.ts';
import { SqliteConnection } from './connection.ts';
import { SqliteGraphStore } from './graph-store.ts';
import { streamView } from './view-load.ts';
import { READ_POOL_METHODS, VIEW_METHOD, type ReadPoolMethod, type ReadReply } from './read-pool.ts';

const { path } = workerData as { path: string };
const port = parentPort!;

let graph: SqliteGraphStore;
let connection: SqliteConnection;
try {
  connection = new SqliteConnection(path, { createDir: false, readOnly: true });
  graph = new SqliteGraphStore(connection);
} catch (e) {
  port.postMessage({ type: 'failed', message: (e as Error).message });
  process.exit(1);
}

const allowed = new Set<string>(READ_POOL_METHODS);

/**
 * The view streamed from the rows into its arrays here (view-load.ts), packed and shared: the request thread
 * gets it without a copy, and no Link or Entity object is made for it.
 */
function analysisView(...args: unknown[]): Promise<AnalysisView> {
  const [input, opts] = args as [ViewOptions, { limit?: number; only?: string[] }];
  return new Promise((resolve) => {
    const options = viewOptionsSchema.parse(input);
    const view = streamView(connection, options, { ...opts, shared: true });
    resolve(view ? { truncated: false, view: packView(view) } : { truncated: true });
  });
}

port.on('message', (m: { id: number; method: ReadPoolMethod | typeof VIEW_METHOD; args: unknown[] }) => {
  const reply = (r: ReadReply): void => port.postMessage(r);
  if (!allowed.has(m.method) && m.method !== VIEW_METHOD) {
    reply({
      id: m.id,
      error: { store: false, message: `${String(m.method)} is not a read this pool answers` },
    });
    return;
  }
  const call =
    m.method === VIEW_METHOD
      ? analysisView
      : (graph[m.method] as (...a: unknown[]) => Promise<unknown>).bind(graph);
  call(...m.args).then(
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

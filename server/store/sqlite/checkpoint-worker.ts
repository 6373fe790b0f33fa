// Worker thread for BackgroundCheckpointer: its own connection to the database file, copying the WAL back
// into the database every few hundred milliseconds. PASSIVE never waits for readers or the writer, so the
// server's connection is not held up; frames still in use are left for the next round.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new Database(path);
db.pragma('busy_timeout = 1000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch (err) {
    // Busy or locked: the next round tries again. Anything else is reported, and the parent takes over.
    const code = (err as { code?: string }).code;
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') {
      parentPort!.postMessage({ type: 'failed', message: (err as Error).message });
    }
  }
}, intervalMs);

parentPort!.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.postMessage({ type: 'stopped' });
  parentPort!.close();
});
parentPort!.postMessage({ type: 'ready' });

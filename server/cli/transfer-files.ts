// The links' CSV file of an import (neo4j-import.ts), written in a worker thread of its own while this thread
// writes the other kinds: on a SQLite source each side reads the file on a connection of its own, so the two
// largest kinds are read, digested and written on two cores at once.
import type { AuditKey } from '../security/audit-chain.ts';
import { spawnTsWorker } from '../jobs/spawn.ts';
import type { FilesDone, LinksElsewhere } from '../store/transfer/neo4j-import.ts';

const ENTRY = new URL('./transfer-files-worker.ts', import.meta.url);

export interface LinksJob {
  path: string;
  name: string;
  dir: string;
  batch: number;
  key: AuditKey | null;
  route: string;
}

/** Writes the links of the SQLite file at `path` in a worker; what it wrote and digested comes back. */
export function linksInWorker(job: Omit<LinksJob, 'dir'>): LinksElsewhere {
  return (dir) =>
    new Promise<FilesDone>((resolve, reject) => {
      // Normal priority: this is the work the user waits for, not a background analysis.
      const w = spawnTsWorker(ENTRY, { job: { ...job, dir } }, { nice: 0 });
      w.once('message', (m: { ok: FilesDone } | { error: string }) => {
        if ('ok' in m) resolve(m.ok);
        else reject(new Error(m.error));
      });
      w.once('error', reject);
      w.once('exit', (code) => {
        if (code !== 0) reject(new Error(`the worker writing the links' file stopped (exit ${code})`));
      });
    });
}

// JobStore on Neo4j: (:Job {id, ...}) records and (:JobResult {key, bytes}) results (base64: the store's
// value conversion keeps to strings, numbers and lists), shared by every server on the database.
import type { JobStore, StoredJob, StoredJobStatus } from '../job-store.ts';
import type { Neo4jContext } from './context.ts';
import type { Row } from './executor.ts';
import { TierAccess } from './tier-schema.ts';

const toJob = (j: Row): StoredJob => ({
  id: j.id as string,
  ownerId: j.ownerId as string,
  ownerName: j.ownerName as string,
  key: j.key as string,
  server: j.server as string,
  leaseUntil: j.leaseUntil as number,
  status: JSON.parse(j.status as string) as StoredJobStatus,
  operations: (j.operations as string[] | null) ?? [],
  notes: (j.notes as string[] | null) ?? [],
  cancelRequested: j.cancelRequested === true,
});

const putParams = (j: StoredJob): Row => ({
  id: j.id,
  // Newest first by when it was made (ids are random).
  n: Date.parse(String(j.status.createdAt ?? '')) || Date.now(),
  ownerId: j.ownerId,
  ownerName: j.ownerName,
  key: j.key,
  operations: j.operations,
  server: j.server,
  leaseUntil: j.leaseUntil,
  state: j.status.state,
  status: JSON.stringify(j.status),
  notes: j.notes,
});

export class Neo4jJobStore implements JobStore {
  private readonly db: TierAccess;

  constructor(c: Neo4jContext) {
    this.db = new TierAccess(c);
  }

  async putJob(j: StoredJob): Promise<void> {
    await this.db.write((tx) => tx.run('job-put', putParams(j)));
  }

  async claimJob(j: StoredJob, maxLive: number, now: number): Promise<number> {
    return this.db.write(async (tx) => {
      // The owner's lock node first: a claim for the same owner on any server waits here, then counts
      // what the one before it committed.
      await tx.run('job-owner-lock', { ownerId: j.ownerId, now });
      const held = ((await tx.one('jobs-live-count', { ownerId: j.ownerId, now }))?.held as number) ?? 0;
      if (held < maxLive) await tx.run('job-put', putParams(j));
      return held;
    });
  }

  async dropJob(id: string): Promise<void> {
    await this.db.write((tx) => tx.run('job-drop', { id }));
  }

  async getJob(id: string): Promise<StoredJob | null> {
    const r = await this.db.read((tx) => tx.one('job-get', { id }));
    return r ? toJob(r.j as Row) : null;
  }

  async listJobs(ownerId: string, limit: number): Promise<StoredJob[]> {
    const rows = await this.db.read((tx) => tx.run('jobs-list', { ownerId, limit }));
    return rows.map((r) => toJob(r.j as Row));
  }

  async findDone(key: string): Promise<StoredJob | null> {
    const r = await this.db.read((tx) => tx.one('job-find-done', { key }));
    return r ? toJob(r.j as Row) : null;
  }

  async requestCancel(id: string): Promise<boolean> {
    const r = await this.db.write((tx) => tx.one('job-request-cancel', { id }));
    return r !== undefined;
  }

  async renewLeases(server: string, ids: string[], leaseUntil: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.write((tx) => tx.run('jobs-renew', { server, ids, leaseUntil }));
    return rows.filter((r) => r.cancel === true).map((r) => r.id as string);
  }

  async failExpired(now: number, error: string): Promise<number> {
    return this.db.write(async (tx) => {
      const rows = await tx.run('jobs-expired', { now });
      for (const r of rows) {
        const s = JSON.parse(r.status as string) as StoredJobStatus;
        const failed = {
          ...s,
          state: 'failed',
          phase: 'failed',
          error,
          finishedAt: new Date(now).toISOString(),
        };
        await tx.run('job-fail', { id: r.id, status: JSON.stringify(failed) });
      }
      return rows.length;
    });
  }

  async putResult(key: string, bytes: Uint8Array): Promise<void> {
    const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    await this.db.write((tx) => tx.run('job-result-put', { key, bytes: b64 }));
  }

  async getResult(key: string): Promise<Uint8Array | null> {
    const r = await this.db.read((tx) => tx.one('job-result-get', { key }));
    return r ? new Uint8Array(Buffer.from(r.bytes as string, 'base64')) : null;
  }

  async prune(perUser: number, total: number): Promise<void> {
    await this.db.write((tx) => tx.run('jobs-prune', { perUser, total }));
  }
}

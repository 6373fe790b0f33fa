// JobStore on SQLite: analysis jobs' records and results in the file, for every server on it.
import type { JobStore, StoredJob, StoredJobStatus } from '../job-store.ts';
import type { SqliteConnection } from './connection.ts';

interface JobRow {
  id: string;
  owner_id: string;
  owner_name: string;
  comp_key: string;
  server: string;
  lease_until: number;
  status: string;
  operations: string;
  notes: string;
  cancel_requested: number;
}

const toJob = (r: JobRow): StoredJob => ({
  id: r.id,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  key: r.comp_key,
  server: r.server,
  leaseUntil: r.lease_until,
  status: JSON.parse(r.status) as StoredJobStatus,
  operations: JSON.parse(r.operations) as string[],
  notes: JSON.parse(r.notes) as string[],
  cancelRequested: r.cancel_requested === 1,
});

const LIVE = "state IN ('queued', 'running')";

export class SqliteJobStore implements JobStore {
  constructor(private readonly c: SqliteConnection) {}

  async putJob(j: StoredJob): Promise<void> {
    await this.c.write(() => this.put(j));
  }

  async claimJob(j: StoredJob, maxLive: number, now: number): Promise<number> {
    // BEGIN IMMEDIATE: another process's claim on the same file waits for this one, so both count alike.
    return this.c.writeImmediate(() => {
      const held = this.c
        .st(`SELECT count(*) FROM jobs WHERE owner_id = ? AND ${LIVE} AND lease_until >= ?`)
        .pluck()
        .get(j.ownerId, now) as number;
      if (held < maxLive) this.put(j);
      return held;
    });
  }

  async dropJob(id: string): Promise<void> {
    await this.c.write(() => this.c.st('DELETE FROM jobs WHERE id = ?').run(id));
  }

  private put(j: StoredJob): void {
    this.c
      .st(
        `INSERT INTO jobs (id, owner_id, owner_name, comp_key, server, lease_until, state, status, operations, notes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET server = excluded.server, lease_until = excluded.lease_until,
             state = excluded.state, status = excluded.status, notes = excluded.notes`,
      )
      .run(
        j.id,
        j.ownerId,
        j.ownerName,
        j.key,
        j.server,
        j.leaseUntil,
        j.status.state,
        JSON.stringify(j.status),
        JSON.stringify(j.operations),
        JSON.stringify(j.notes),
      );
  }

  async getJob(id: string): Promise<StoredJob | null> {
    const r = this.c.st('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  async listJobs(ownerId: string, limit: number): Promise<StoredJob[]> {
    const rows = this.c
      .st('SELECT * FROM jobs WHERE owner_id = ? ORDER BY n DESC LIMIT ?')
      .all(ownerId, limit) as JobRow[];
    return rows.map(toJob);
  }

  async findDone(key: string): Promise<StoredJob | null> {
    const r = this.c
      .st(
        `SELECT j.* FROM jobs j JOIN job_results r ON r.comp_key = j.comp_key
         WHERE j.comp_key = ? AND j.state = 'done' ORDER BY j.n DESC LIMIT 1`,
      )
      .get(key) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  async requestCancel(id: string): Promise<boolean> {
    return this.c.write(
      () => this.c.st(`UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND ${LIVE}`).run(id).changes > 0,
    );
  }

  async renewLeases(server: string, ids: string[], leaseUntil: number): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.c.writeTx(() => {
      const cancel: string[] = [];
      for (const id of ids) {
        const r = this.c
          .st(
            `UPDATE jobs SET lease_until = ? WHERE id = ? AND server = ? AND ${LIVE} RETURNING cancel_requested`,
          )
          .get(leaseUntil, id, server) as { cancel_requested: number } | undefined;
        if (r?.cancel_requested === 1) cancel.push(id);
      }
      return cancel;
    });
  }

  async failExpired(now: number, error: string): Promise<number> {
    return this.c.writeTx(() => {
      const rows = this.c
        .st(`SELECT id, status FROM jobs WHERE ${LIVE} AND lease_until < ?`)
        .all(now) as Array<{ id: string; status: string }>;
      for (const r of rows) {
        const s = JSON.parse(r.status) as StoredJobStatus;
        const failed = {
          ...s,
          state: 'failed',
          phase: 'failed',
          error,
          finishedAt: new Date(now).toISOString(),
        };
        this.c
          .st("UPDATE jobs SET state = 'failed', status = ? WHERE id = ?")
          .run(JSON.stringify(failed), r.id);
      }
      return rows.length;
    });
  }

  async putResult(key: string, bytes: Uint8Array): Promise<void> {
    await this.c.write(() =>
      this.c
        .st('INSERT OR REPLACE INTO job_results (comp_key, bytes) VALUES (?, ?)')
        .run(key, Buffer.from(bytes)),
    );
  }

  async getResult(key: string): Promise<Uint8Array | null> {
    const b = this.c.st('SELECT bytes FROM job_results WHERE comp_key = ?').pluck().get(key) as
      Buffer | undefined;
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : null;
  }

  async prune(perUser: number, total: number): Promise<void> {
    await this.c.writeTx(() => {
      // Finished jobs beyond each user's allowance, then beyond the total, oldest first.
      this.c
        .st(
          `DELETE FROM jobs WHERE n IN (SELECT n FROM (SELECT n, ROW_NUMBER() OVER (PARTITION BY owner_id ORDER BY n DESC) AS r
             FROM jobs WHERE NOT ${LIVE}) WHERE r > ?)`,
        )
        .run(perUser);
      this.c
        .st(
          `DELETE FROM jobs WHERE n IN (SELECT n FROM jobs WHERE NOT ${LIVE} ORDER BY n DESC LIMIT -1 OFFSET ?)`,
        )
        .run(total);
      this.c.st('DELETE FROM job_results WHERE comp_key NOT IN (SELECT comp_key FROM jobs)').run();
    });
  }
}

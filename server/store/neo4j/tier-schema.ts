// The schema of what the servers of a tier share on Neo4j (sessions, sign-in counters, analysis jobs): their
// own constraints, applied once beside the graph's schema, and the executor calls without the Meta lock
// (none of this is graph data, so none of it waits behind graph writes).
import type { Neo4jContext } from './context.ts';
import type { Tx } from './executor.ts';

const CONSTRAINTS = [
  'CREATE CONSTRAINT session_token IF NOT EXISTS FOR (s:Session) REQUIRE s.tokenHash IS UNIQUE',
  'CREATE INDEX session_user IF NOT EXISTS FOR (s:Session) ON (s.userId)',
  'CREATE INDEX session_last_seen IF NOT EXISTS FOR (s:Session) ON (s.lastSeen)',
  'CREATE INDEX session_created IF NOT EXISTS FOR (s:Session) ON (s.createdAt)',
  'CREATE CONSTRAINT login_counter_key IF NOT EXISTS FOR (c:LoginCounter) REQUIRE c.key IS UNIQUE',
  'CREATE INDEX login_counter_window IF NOT EXISTS FOR (c:LoginCounter) ON (c.windowStart)',
  'CREATE CONSTRAINT job_id IF NOT EXISTS FOR (j:Job) REQUIRE j.id IS UNIQUE',
  'CREATE INDEX job_owner IF NOT EXISTS FOR (j:Job) ON (j.ownerId)',
  'CREATE INDEX job_key IF NOT EXISTS FOR (j:Job) ON (j.key)',
  'CREATE INDEX job_state IF NOT EXISTS FOR (j:Job) ON (j.state)',
  'CREATE CONSTRAINT job_result_key IF NOT EXISTS FOR (r:JobResult) REQUIRE r.key IS UNIQUE',
  'CREATE CONSTRAINT job_owner_lock IF NOT EXISTS FOR (q:JobOwner) REQUIRE q.ownerId IS UNIQUE',
];

const readied = new WeakMap<Neo4jContext, Promise<void>>();

/** Applies the tier's constraints once per context (at init; again after a failure). */
export function ensureTierSchema(c: Neo4jContext): Promise<void> {
  let p = readied.get(c);
  if (!p) {
    p = (async () => {
      await c.ensureReady();
      for (const s of CONSTRAINTS) await c.exec.autoCommit(s);
    })();
    p.catch(() => readied.delete(c));
    readied.set(c, p);
  }
  return p;
}

/** Reads and writes of the tier's shared state: schema first, then a plain managed transaction. */
export class TierAccess {
  constructor(private readonly c: Neo4jContext) {}

  async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    await ensureTierSchema(this.c);
    return this.c.exec.read(work);
  }

  async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    await ensureTierSchema(this.c);
    return this.c.exec.write(work);
  }
}

// Counts what the Neo4j store sends while a bench runs: transactions (by access mode), statements by named
// query (calls, rows back, time waited for the answer) and, with `profile`, each statement run under PROFILE
// with its database hits summed over the plan. It wraps the store's own Tx and executor methods for the time of
// one measurement and puts them back after, so the store's code is what is measured, unchanged.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { Neo4jExecutor, Tx, fromNeo, toNeo, type Row } from '../server/store/neo4j/executor.ts';
import { cypher } from '../server/store/neo4j/queries.ts';

export interface StatementFigures {
  calls: number;
  rows: number;
  ms: number;
  dbHits: number;
}

export interface WriteFigures {
  transactions: { read: number; write: number; nested: number };
  /** Milliseconds in short transactions opened inside another's work. */
  nestedMs: number;
  /** Runs of an outer transaction's work: more than its transactions when the driver retried one. */
  attempts: number;
  nestedStmtMs: number;
  /** Milliseconds: whole write transactions (begin to commit), and the part spent inside their work. */
  writeMs: number;
  workMs: number;
  statements: Map<string, StatementFigures>;
}

interface PlanNode {
  dbHits?: number;
  children?: PlanNode[];
}

function hits(p: PlanNode | null | undefined): number {
  if (!p) return 0;
  return (p.dbHits ?? 0) + (p.children ?? []).reduce((s, c) => s + hits(c), 0);
}

/** One named query run once under PROFILE with the parameters the store would pass: its database hits and rows. */
export async function profileNamed(
  driver: Driver,
  name: string,
  params: Record<string, unknown>,
): Promise<{ hits: number; rows: number }> {
  const session = driver.session();
  try {
    const res = await session.run(`PROFILE ${cypher(name)}`, toNeo(params) as Record<string, unknown>);
    return { hits: hits((res.summary.profile || null) as PlanNode | null), rows: res.records.length };
  } finally {
    await session.close();
  }
}

/** 'outer' inside a transaction's work; 'nested' inside a short one opened there. */
const inside = new AsyncLocalStorage<'outer' | 'nested'>();

/** Runs `work` with every transaction and statement of the Neo4j store counted (and profiled if asked). */
export async function countStatements<T>(
  work: () => Promise<T>,
  opts: { profile: boolean },
): Promise<{ result: T; figures: WriteFigures }> {
  const figures: WriteFigures = {
    transactions: { read: 0, write: 0, nested: 0 },
    nestedMs: 0,
    attempts: 0,
    nestedStmtMs: 0,
    writeMs: 0,
    workMs: 0,
    statements: new Map(),
  };
  const origRun = Tx.prototype.run;
  const origRead = Neo4jExecutor.prototype.read;
  const origWrite = Neo4jExecutor.prototype.write;
  const origQuery = Neo4jExecutor.prototype.query;
  const note = (name: string, rows: number, ms: number, dbHits: number) => {
    if (inside.getStore() === 'nested') figures.nestedStmtMs += ms;
    const f = figures.statements.get(name) ?? { calls: 0, rows: 0, ms: 0, dbHits: 0 };
    f.calls++;
    f.rows += rows;
    f.ms += ms;
    f.dbHits += dbHits;
    figures.statements.set(name, f);
  };
  Tx.prototype.run = async function (this: Tx, name: string, params: Row = {}): Promise<Row[]> {
    const t0 = performance.now();
    if (!opts.profile) {
      const rows = await origRun.call(this, name, params);
      note(name, rows.length, performance.now() - t0, 0);
      return rows;
    }
    const tx = (this as unknown as { tx: ManagedTransaction }).tx;
    const res = await tx.run(`PROFILE ${cypher(name)}`, toNeo(params) as Row);
    const rows = res.records.map((r) => fromNeo(r.toObject()) as Row);
    note(name, rows.length, performance.now() - t0, hits((res.summary.profile || null) as PlanNode | null));
    return rows;
  };
  Neo4jExecutor.prototype.read = function <R>(this: Neo4jExecutor, w: (tx: Tx) => Promise<R>) {
    figures.transactions.read++;
    return origRead.call(this, w) as Promise<R>;
  };
  // A one-statement auto-commit transaction (ids reserved, the data version raised): counted as a short
  // transaction and as its statement.
  Neo4jExecutor.prototype.query = async function (
    this: Neo4jExecutor,
    mode: 'READ' | 'WRITE',
    name: string,
    params: Row = {},
  ): Promise<Row[]> {
    figures.transactions[mode === 'READ' ? 'read' : 'write']++;
    const nested = Boolean(inside.getStore());
    if (nested) figures.transactions.nested++;
    const t0 = performance.now();
    const rows = await inside.run('nested', () => origQuery.call(this, mode, name, params));
    const ms = performance.now() - t0;
    note(name, rows.length, ms, 0);
    if (nested) {
      figures.nestedMs += ms;
      figures.nestedStmtMs += ms;
    } else {
      // On its own (the data version raised after a batch): a write transaction that is all statement.
      figures.writeMs += ms;
      figures.workMs += ms;
    }
    return rows;
  };
  Neo4jExecutor.prototype.write = async function <R>(this: Neo4jExecutor, w: (tx: Tx) => Promise<R>) {
    figures.transactions.write++;
    // A short transaction opened inside another's work (ids reserved mid-batch) is counted apart, so the
    // outer one's figures do not count it twice.
    const outer = !inside.getStore();
    if (!outer) {
      figures.transactions.nested++;
      const t0 = performance.now();
      try {
        return (await inside.run('nested', () => origWrite.call(this, w))) as R;
      } finally {
        figures.nestedMs += performance.now() - t0;
      }
    }
    const t0 = performance.now();
    try {
      return (await origWrite.call(this, (tx: Tx) =>
        inside.run('outer', async () => {
          figures.attempts++;
          const t1 = performance.now();
          try {
            return await w(tx);
          } finally {
            figures.workMs += performance.now() - t1;
          }
        }),
      )) as R;
    } finally {
      figures.writeMs += performance.now() - t0;
    }
  };
  try {
    const result = await work();
    return { result, figures };
  } finally {
    Tx.prototype.run = origRun;
    Neo4jExecutor.prototype.read = origRead;
    Neo4jExecutor.prototype.write = origWrite;
    Neo4jExecutor.prototype.query = origQuery;
  }
}

/** The figures as a table: per batch, and each statement's share of the time. */
export function statementTable(f: WriteFigures, batches: number, links: number, seconds: number): string {
  const all = [...f.statements.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const stmts = all.reduce((s, [, x]) => s + x.calls, 0);
  const waited = all.reduce((s, [, x]) => s + x.ms, 0) / 1000;
  const nestedStmts = f.nestedMs / 1000;
  const outerStmts = waited - f.nestedStmtMs / 1000;
  const out = [
    `  transactions: ${f.transactions.write} write (${f.transactions.nested} of them short ones opened inside ` +
      `a batch's, ${nestedStmts.toFixed(1)} s; the others' work ran ${f.attempts} times), ` +
      `${f.transactions.read} read ` +
      `(${((f.transactions.write + f.transactions.read) / batches).toFixed(1)} a batch); ` +
      `statements: ${stmts} (${(stmts / batches).toFixed(1)} a batch, ${((stmts * 1000) / links).toFixed(1)} per 1k links)`,
    `  wall ${seconds.toFixed(1)} s; write transactions ${(f.writeMs / 1000).toFixed(1)} s, of which inside ` +
      `their work ${(f.workMs / 1000).toFixed(1)} s (statements ${outerStmts.toFixed(1)} s, short transactions ` +
      `${nestedStmts.toFixed(1)} s, JS ${(f.workMs / 1000 - outerStmts - nestedStmts).toFixed(1)} s) and begin/commit ${((f.writeMs - f.workMs) / 1000).toFixed(1)} s ` +
      `(summed over writers; with one writer, wall minus write transactions is the JS outside them: ` +
      `${(seconds - f.writeMs / 1000).toFixed(1)} s)`,
    '  statement                   calls  calls/batch      rows   ms/call  total s  share   db hits  hits/link',
  ];
  for (const [name, x] of all) {
    out.push(
      '  ' +
        name.padEnd(26) +
        String(x.calls).padStart(7) +
        (x.calls / batches).toFixed(1).padStart(13) +
        String(x.rows).padStart(10) +
        (x.ms / x.calls).toFixed(1).padStart(10) +
        (x.ms / 1000).toFixed(1).padStart(9) +
        `${((100 * x.ms) / 1000 / Math.max(waited, 1e-9)).toFixed(0)}%`.padStart(7) +
        String(x.dbHits).padStart(10) +
        (x.dbHits / links).toFixed(1).padStart(11),
    );
  }
  return out.join('\n');
}

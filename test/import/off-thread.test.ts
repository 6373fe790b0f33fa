// Imports on the import worker thread (server/import/off-thread.ts) against a real SQLite file: the same
// report and store as the pipeline run in-process; a refused file is the same error and leaves nothing; an
// import stopped inside its transaction leaves nothing and hands the write gate back; and while the worker
// holds SQLite's write lock, a write on this thread waits its turn without stopping the event loop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportWorker } from '../../server/import/off-thread.ts';
import { runImport } from '../../server/import/pipeline.ts';
import { ImportError } from '../../server/import/errors.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function store(): Promise<{ stores: SqliteStores; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-offthread-'));
  dirs.push(dir);
  const path = join(dir, 'store.db');
  return { stores: await openSqliteStores(path), path };
}

/** `rows` calls between distinct pairs of `phones` phones. */
function calls(rows: number, phones = Math.max(11, Math.ceil(rows / 10))): string {
  const num = (i: number) => `07700 ${String(100000 + i)}`;
  const out = ['caller,callee,start,duration'];
  for (let r = 0; r < rows; r++) {
    const a = r % phones;
    const b = (a + 1 + Math.floor(r / phones)) % phones;
    out.push(`${num(a)},${num(b)},2024-03-0${1 + (r % 9)} 10:${String(r % 60).padStart(2, '0')},${r % 900}`);
  }
  return out.join('\n') + '\n';
}

/** The file as an upload arrives: 64 KiB chunks. */
const upload = (text: string) => {
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 65536) chunks.push(buf.subarray(i, i + 65536));
  return Readable.from(chunks);
};

function counts(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const n = (sql: string) => db.prepare(sql).pluck().get() as number;
    return {
      entities: n('SELECT COUNT(*) FROM entities'),
      links: n('SELECT COUNT(*) FROM links'),
      runs: n('SELECT COUNT(*) FROM import_runs'),
    };
  } finally {
    db.close();
  }
}

/** Whether another connection holds the file's write lock (a BEGIN IMMEDIATE that may not wait fails). */
function writeLocked(path: string): boolean {
  const db = new Database(path, { timeout: 0 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw e;
  } finally {
    db.close();
  }
}

async function untilWriteLocked(path: string, pending: Promise<unknown>): Promise<void> {
  let over = false;
  void pending.then(
    () => (over = true),
    () => (over = true),
  );
  const deadline = Date.now() + 120_000;
  while (!writeLocked(path)) {
    if (over) throw new Error('the import ended before it was seen holding the write lock');
    if (Date.now() > deadline) throw new Error('the import never took the write lock');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('imports on the worker thread', () => {
  it('report and store the same as the pipeline in-process', async () => {
    const text = calls(5000, 800);
    const a = await store();
    const b = await store();
    const worker = ImportWorker.for(a.stores)!;
    expect(worker).not.toBeNull();
    try {
      const off = await worker.run({
        input: upload(text),
        options: { format: 'cdr' },
        ctx: { actor: 'tester' },
      });
      const inProcess = await runImport({
        store: b.stores.graph,
        input: upload(text),
        options: { format: 'cdr' },
        ctx: { actor: 'tester' },
      });
      const strip = (r: typeof off) => ({ ...r, ms: 0, timing: null, dataVersion: 0 });
      expect(strip(off)).toEqual(strip(inProcess));
      expect(off.links.created).toBe(5000);
      expect(counts(a.path)).toEqual(counts(b.path));
      // The request thread's connection sees the worker's commit.
      expect((await a.stores.counts()).links).toBe(5000);
      // The same file again changes nothing.
      const again = await worker.run({
        input: upload(text),
        options: { format: 'cdr' },
        ctx: { actor: 'tester' },
      });
      expect(again.links).toEqual({ created: 0, matched: 5000 });
    } finally {
      await worker.stop();
      await a.stores.close();
      await b.stores.close();
    }
  });

  it('a refused file is the same error as in-process, names its row and column, and leaves nothing', async () => {
    const { stores, path } = await store();
    const worker = ImportWorker.for(stores)!;
    try {
      const bad =
        calls(3000) + '07700 100001,07700 100002,not a date,60\n' + calls(10).split('\n').slice(1).join('\n');
      const err = await worker
        .run({ input: upload(bad), options: { format: 'cdr' }, ctx: { actor: 'tester' } })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(ImportError);
      const e = err as ImportError;
      expect(e.status).toBe(400);
      expect(e.extra.row).toBe(3002);
      expect(e.extra.column).toBeDefined();
      expect(e.message).toMatch(/Nothing was imported/);
      // An option the pipeline refuses before reading anything.
      const opt = await worker
        .run({ input: upload(calls(5)), options: { format: 'nonsense' }, ctx: { actor: 'tester' } })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(opt).toBeInstanceOf(ImportError);
      expect((opt as ImportError).status).toBe(400);
      expect(counts(path)).toEqual({ entities: 0, links: 0, runs: 0 });
      // The worker carries on with the next import.
      const ok = await worker.run({
        input: upload(calls(20)),
        options: { format: 'cdr' },
        ctx: { actor: 'tester' },
      });
      expect(ok.links.created).toBe(20);
    } finally {
      await worker.stop();
      await stores.close();
    }
  });

  it('lets the worker go when idle (its memory with it), and starts a new one for the next import', async () => {
    const { stores } = await store();
    const worker = ImportWorker.for(stores, { idleMs: 200 })!;
    try {
      const first = await worker.run({
        input: upload(calls(50)),
        options: { format: 'cdr' },
        ctx: { actor: 't' },
      });
      expect(first.links.created).toBe(50);
      expect(worker.running).toBe(true);
      for (let i = 0; i < 100 && worker.running; i++) await new Promise((r) => setTimeout(r, 50));
      expect(worker.running).toBe(false);
      const second = await worker.run({
        input: upload(calls(60)),
        options: { format: 'cdr' },
        ctx: { actor: 't' },
      });
      expect(second.links).toEqual({ created: 10, matched: 50 });
      expect(worker.running).toBe(true);
    } finally {
      await worker.stop();
      await stores.close();
    }
  });

  it('an upload cut off mid-way ends its import (400 upload_failed) and leaves nothing', async () => {
    const { stores, path } = await store();
    const worker = ImportWorker.for(stores)!;
    /** Sends part of a file, then goes away as a client does: the body closes without ending or an error. */
    const cutOff = async (ms: number) => {
      const input = new Readable({ read() {} });
      const pending = worker.run({ input, options: { format: 'cdr' }, ctx: { actor: 'tester' } });
      input.push(Buffer.from(calls(100)));
      await new Promise((r) => setTimeout(r, ms));
      input.destroy();
      return pending.then(
        () => null,
        (e: unknown) => e,
      );
    };
    try {
      // While the worker is still starting, then once it is reading.
      for (const err of [await cutOff(0), await cutOff(200)]) {
        expect(err).toBeInstanceOf(ImportError);
        expect((err as ImportError).code).toBe('upload_failed');
      }
      expect(counts(path)).toEqual({ entities: 0, links: 0, runs: 0 });
    } finally {
      await worker.stop();
      await stores.close();
    }
  });

  it('an import stopped inside its transaction leaves nothing, and the gate is handed back', async () => {
    const { stores, path } = await store();
    const worker = ImportWorker.for(stores)!;
    const pending = worker.run({
      input: upload(calls(150_000, 15_000)),
      options: { format: 'cdr' },
      ctx: { actor: 'tester' },
    });
    const outcome = pending.then(
      () => 'committed',
      (e: Error) => e.message,
    );
    await untilWriteLocked(path, pending);
    await worker.stop();
    expect(await outcome).toMatch(/nothing of it was saved/);
    expect(counts(path)).toEqual({ entities: 0, links: 0, runs: 0 });
    // This thread writes again at once: the worker's turn at the gate was handed back with it.
    const note = await stores.workspace.createAnnotation(
      { target: { kind: 'entity', id: 'e1' }, text: 'after the stopped import' },
      { actor: 'tester' },
    );
    expect(note.text).toBe('after the stopped import');
    await stores.close();
  });

  it("a write on this thread waits for the worker's transaction without stopping the event loop", async () => {
    const { stores, path } = await store();
    const worker = ImportWorker.for(stores)!;
    try {
      const pending = worker.run({
        input: upload(calls(150_000, 15_000)),
        options: { format: 'cdr' },
        ctx: { actor: 'tester' },
      });
      let imported = false;
      void pending.then(() => (imported = true));
      await untilWriteLocked(path, pending);
      const t0 = performance.now();
      let appended = false;
      const audit = stores.security
        .appendAudit({ actor: 'tester', action: 'read', outcome: 'ok' })
        .then((e) => ((appended = true), e));
      // Without the gate this call would busy-wait inside SQLite until the import committed.
      const callMs = performance.now() - t0;
      let turns = 0;
      while (writeLocked(path) && turns < 5) {
        await new Promise((r) => setImmediate(r));
        turns++;
      }
      expect(turns).toBeGreaterThan(0);
      expect(appended).toBe(false);
      const report = await pending;
      const event = await audit;
      expect(imported).toBe(true);
      expect(report.links.created).toBe(150_000);
      expect(event.seq).toBeGreaterThan(0);
      console.log(`the audit append returned to the event loop after ${callMs.toFixed(1)} ms`);
      expect(callMs).toBeLessThan(1000);
    } finally {
      await worker.stop();
      await stores.close();
    }
  });
});

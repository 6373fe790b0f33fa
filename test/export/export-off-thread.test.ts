// Whole-view exports are gathered and written on a worker thread with a read-only connection of its own
// (server/jobs/export-off-thread.ts): the files are the ones the request thread would write, and the
// errors (the link cap) come back as the same 4xx answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../server/api-types/errors.ts';
import type { ExportRequest } from '../../server/api-types/exports.ts';
import { exportFiles } from '../../server/jobs/export-off-thread.ts';
import { loadSeed } from '../../seed/load.ts';
import { tempStore, type TempStore } from '../security/helpers.ts';

let ts: TempStore;
beforeAll(async () => {
  ts = await tempStore();
  await loadSeed(ts.stores, { truthFile: null });
}, 120_000);
afterAll(async () => {
  await ts.cleanup();
});

const opts = { actor: 'tester', maxLinks: 1_000_000 };
/** The same stores without a file another thread could open: everything is done on this thread. */
const onThread = () => ({ graph: ts.stores.graph, workspace: ts.stores.workspace });
/** The export time differs between two runs; every other character must not. */
const stamp = (t: string) => t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'T');

describe('view exports off the request thread', () => {
  it('writes the same file as the request thread would, for every format', async () => {
    expect(ts.stores.readerPath).toBe(ts.dbPath);
    const requests: ExportRequest[] = [
      { format: 'graphml', view: {} },
      { format: 'csv', part: 'links', view: { linkTypes: ['CALLED'] } },
      { format: 'json', view: { entityTypes: ['Person', 'Phone'] } },
      { format: 'anx', view: {} },
    ];
    for (const req of requests) {
      const [off, on] = await Promise.all([
        exportFiles(ts.stores, req, opts),
        exportFiles(onThread(), req, opts),
      ]);
      expect(off.files.map((f) => f.name)).toEqual(on.files.map((f) => f.name));
      expect(off.files[0].body.length).toBeGreaterThan(1000);
      expect(stamp(off.files[0].body.toString('utf8'))).toBe(stamp(on.files[0].body.toString('utf8')));
      expect(off.disclosure).toEqual(on.disclosure);
      expect(off.record.counts).toEqual(on.record.counts);
    }
  });

  it("answers the server's link cap with the same 400 from the worker", async () => {
    const err = await exportFiles(
      ts.stores,
      { format: 'graphml', view: {} },
      { ...opts, maxLinks: 10 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toMatch(/more than 10 links.*narrow it/);
  });
});

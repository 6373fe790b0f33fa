// A whole-view export gathered on a worker thread reads with the scope of the graph store it was handed
// (need-to-know): a closed operation's facts stay out of a file made for someone outside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles } from '../../server/jobs/export-off-thread.ts';
import { tempStore, type TempStore } from '../security/helpers.ts';

let ts: TempStore;
let scope: { operations: string[] };
beforeAll(async () => {
  ts = await tempStore();
  const s = ts.stores;
  const open = await s.operations.create({ ref: 'KESTREL', name: 'K', sensitivity: 'open' }, { actor: 'a' });
  const closed = await s.operations.create(
    { ref: 'HALYARD', name: 'H', sensitivity: 'closed' },
    { actor: 'b' },
  );
  await s.graph.writeBatch(
    {
      entities: [
        { type: 'Person', label: 'Open Olive' },
        { type: 'Phone', label: '07700 900001', properties: { number: '07700 900001' } },
      ],
      links: [
        {
          type: 'USES',
          from: { type: 'Person', key: 'open olive' },
          to: { type: 'Phone', key: '+447700900001' },
        },
      ],
    },
    { actor: 'a', operationId: open.id },
  );
  await s.graph.writeBatch(
    {
      entities: [
        { type: 'Person', label: 'Hidden Hector' },
        {
          type: 'Phone',
          label: '07700 900001',
          properties: { number: '07700 900001', imei: 'imeisecret77' },
        },
      ],
      links: [
        {
          type: 'USES',
          from: { type: 'Person', key: 'hidden hector' },
          to: { type: 'Phone', key: '+447700900001' },
        },
      ],
    },
    { actor: 'b', operationId: closed.id },
  );
  scope = { operations: await s.operations.readableBy('a') };
});
afterAll(async () => {
  await ts.cleanup();
});

const opts = { actor: 'tester', maxLinks: 1_000_000 };

describe('view exports under a read scope', () => {
  it('the worker leaves out what the scope does not see, on and off the request thread alike', async () => {
    expect(ts.stores.readerPath).toBe(ts.dbPath);
    const scoped = { ...ts.stores, graph: ts.stores.graph.scoped(scope) };
    const onThread = { graph: scoped.graph, workspace: ts.stores.workspace };
    const req = { format: 'json' as const, view: {} };
    const [off, on, whole] = await Promise.all([
      exportFiles(scoped, req, opts),
      exportFiles(onThread, req, opts),
      exportFiles(ts.stores, req, opts),
    ]);
    const text = (o: typeof off) => o.files.map((f) => f.body.toString('utf8')).join('\n');
    expect(text(whole)).toContain('Hidden Hector');
    expect(text(whole)).toContain('imeisecret77');
    for (const o of [off, on]) {
      expect(text(o)).toContain('Open Olive');
      expect(text(o)).not.toContain('Hidden Hector');
      expect(text(o)).not.toContain('imeisecret77');
      expect(o.record.counts).toEqual(on.record.counts);
    }
  });
});

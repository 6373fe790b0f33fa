// multipart/form-data uploads (curl -F file=@calls.csv) over real HTTP against a real SQLite file: the same
// counts as the raw body, idempotent, the upload cap, and one file part exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/server-harness.ts';

const CAP = 4 * 1024;
const QUERY = '?format=cdr&map=A Number=caller,B Number=callee,Start Time=start';
const cdr =
  'A Number,B Number,Start Time,Duration\n' +
  '07700900123,07700900456,2024-01-01T10:00:00Z,60\n' +
  '07700900123,07700900456,2024-01-02T10:00:00Z,30\n' +
  '07700900456,07700900789,2024-01-03T10:00:00Z,10\n';

let raw: Harness;
let multi: Harness;
beforeAll(async () => {
  raw = await startHarness({ limits: { uploadBytes: CAP } });
  multi = await startHarness({ limits: { uploadBytes: CAP } });
});
afterAll(async () => {
  await raw?.close();
  await multi?.close();
});

type Counts = { rowsRead: number; entities: unknown; links: unknown; reports: unknown; rowsRejected: number };

async function send(
  h: Harness,
  path: string,
  files: Array<[string, string]>,
  fields: Array<[string, string]> = [],
  filename = 'calls.csv',
): Promise<{ status: number; json: unknown }> {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  for (const [k, v] of files) form.append(k, new Blob([v], { type: 'text/csv' }), filename);
  const r = await fetch(h.url + path, { method: 'POST', body: form, headers: h.auth });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}
const pick = (j: unknown) => {
  const c = j as Counts;
  return { rowsRead: c.rowsRead, rowsRejected: c.rowsRejected, entities: c.entities, links: c.links };
};

describe('multipart import', () => {
  it('gives the same counts as the raw-body import of the same file, and a re-import changes nothing', async () => {
    const r = await raw.call('POST', '/api/imports' + QUERY, cdr, { 'content-type': 'text/csv' });
    expect(r.status, r.text).toBe(200);
    const m = await send(multi, '/api/imports' + QUERY, [['file', cdr]]);
    expect(m.status, JSON.stringify(m.json)).toBe(200);
    expect(pick(m.json)).toEqual(pick(r.json));
    expect(pick(m.json)).toMatchObject({ rowsRead: 3, entities: { created: 3 }, links: { created: 2 } });
    expect((m.json as { importId: string }).importId).toBe((r.json as { importId: string }).importId);

    const v = await multi.stores.graph.dataVersion();
    const again = await send(multi, '/api/imports' + QUERY, [['file', cdr]]);
    expect(again.json).toMatchObject({
      entities: { created: 0, matched: 3 },
      links: { created: 0, matched: 2 },
    });
    expect(await multi.stores.graph.dataVersion()).toBe(v);
  });

  it('names the import after the uploaded file unless the query names it', async () => {
    const m = await send(multi, '/api/imports' + QUERY, [['file', cdr]], [], 'week-23 calls.csv');
    expect(m.json).toMatchObject({ name: 'week-23 calls.csv' });
    const named = await send(multi, '/api/imports' + QUERY + '&name=cdr-june.csv', [['file', cdr]]);
    expect(named.json).toMatchObject({ name: 'cdr-june.csv' });
    const runs = (await multi.call('GET', '/api/imports?limit=2')).json as { items: Array<{ name: string }> };
    expect(runs.items.map((r) => r.name)).toEqual(['cdr-june.csv', 'week-23 calls.csv']);
  });

  it('keeps the nodes of two network files apart: each takes its namespace from its file name', async () => {
    const edges = '1,2\n2,3\n';
    const one = await send(multi, '/api/imports?format=edgelist', [['file', edges]], [], 'Jake_edgelist.csv');
    expect(one.status, JSON.stringify(one.json)).toBe(200);
    expect(one.json).toMatchObject({ name: 'Jake_edgelist.csv', mapping: { namespace: 'jake' } });
    const two = await send(
      multi,
      '/api/imports?format=edgelist',
      [['file', edges]],
      [],
      'Juanes_edgelist.csv',
    );
    expect(two.json).toMatchObject({
      entities: { created: 3, matched: 0 },
      mapping: { namespace: 'juanes' },
    });
  });

  it("reads an edge list's header as column names in the preview and in the rows read, not as a row", async () => {
    const file = 'source,target,weight\nAnna,Ben,2\nBen,Cara,1\n';
    const p = await send(multi, '/api/imports/preview?format=edgelist', [['file', file]], [], 'ring.csv');
    expect(p.status, JSON.stringify(p.json)).toBe(200);
    expect(p.json).toMatchObject({
      columns: ['source', 'target', 'weight'],
      rows: [
        ['Anna', 'Ben', '2'],
        ['Ben', 'Cara', '1'],
      ],
    });
    const bare = await send(
      multi,
      '/api/imports/preview?format=edgelist',
      [['file', '1,2\n2,3\n']],
      [],
      'bare.csv',
    );
    expect(bare.json).toMatchObject({
      columns: ['1', '2'],
      rows: [
        ['1', '2'],
        ['2', '3'],
      ],
    });
    const r = await send(multi, '/api/imports?format=edgelist', [['file', file]], [], 'ring.csv');
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ rowsRead: 2, links: { created: 2 } });
  });

  it('refuses a network file that has neither a name nor a namespace, and writes nothing', async () => {
    const v = await raw.stores.graph.dataVersion();
    const r = await raw.call('POST', '/api/imports?format=edgelist', '1,2\n', { 'content-type': 'text/csv' });
    expect(r.status, r.text).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'namespace_needed' } });
    expect((r.json as { error: { message: string } }).error.message).toContain('name=');
    expect(await raw.stores.graph.dataVersion()).toBe(v);
    const ok = await raw.call('POST', '/api/imports?format=edgelist&namespace=op-kestrel', '1,2\n', {
      'content-type': 'text/csv',
    });
    expect(ok.json).toMatchObject({ entities: { created: 2 }, mapping: { namespace: 'op-kestrel' } });
  });

  it('previews a multipart upload, with other fields before the file ignored', async () => {
    const p = await send(multi, '/api/imports/preview?format=cdr', [['file', cdr]], [['note', 'x']]);
    expect(p.status, JSON.stringify(p.json)).toBe(200);
    expect(p.json).toMatchObject({ columns: ['A Number', 'B Number', 'Start Time', 'Duration'] });
  });

  it('refuses an oversize file with 413 naming the limit, and writes nothing', async () => {
    const v = await multi.stores.graph.dataVersion();
    const before = await multi.stores.counts();
    const big = cdr + '07700900111,07700900222,2024-01-04T10:00:00Z,5\n'.repeat(200);
    expect(big.length).toBeGreaterThan(CAP);
    const r = await send(multi, '/api/imports' + QUERY, [['file', big]]);
    expect(r.status).toBe(413);
    expect(JSON.stringify(r.json)).toContain(String(CAP));
    expect(await multi.stores.graph.dataVersion()).toBe(v);
    expect(await multi.stores.counts()).toEqual(before);
  });

  it('refuses no file part or two file parts with a 400 naming the problem, and writes nothing', async () => {
    const v = await multi.stores.graph.dataVersion();
    const none = await send(multi, '/api/imports' + QUERY, [], [['file', 'not a file']]);
    expect(none.status).toBe(400);
    expect(none.json).toMatchObject({ error: { code: 'no_file' } });
    const other = cdr.replace('07700900789', '07700900999');
    const two = await send(multi, '/api/imports' + QUERY, [
      ['file', other],
      ['file2', cdr],
    ]);
    expect(two.status, JSON.stringify(two.json)).toBe(400);
    expect(two.json).toMatchObject({ error: { code: 'multiple_files' } });
    expect((two.json as { error: { message: string } }).error.message).toContain('file2');
    expect(await multi.stores.graph.dataVersion()).toBe(v);
  });

  it('answers a broken form (no boundary, cut short) with a 400, and writes nothing', async () => {
    const v = await multi.stores.graph.dataVersion();
    const noBoundary = await multi.call('POST', '/api/imports' + QUERY, cdr, {
      'content-type': 'multipart/form-data',
    });
    expect(noBoundary.status, noBoundary.text).toBe(400);
    expect(noBoundary.json).toMatchObject({ error: { code: 'bad_multipart' } });
    expect((noBoundary.json as { error: { message: string } }).error.message).toMatch(/boundary/i);
    const cut = await multi.call(
      'POST',
      '/api/imports' + QUERY,
      `--b\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n\r\n${cdr}`,
      { 'content-type': 'multipart/form-data; boundary=b' },
    );
    expect(cut.status, cut.text).toBeGreaterThanOrEqual(400);
    expect(cut.status, cut.text).toBeLessThan(500);
    expect(await multi.stores.graph.dataVersion()).toBe(v);
  });

  it('still requires the CSRF token', async () => {
    const form = new FormData();
    form.append('file', new Blob([cdr]), 'calls.csv');
    const r = await fetch(multi.url + '/api/imports' + QUERY, {
      method: 'POST',
      body: form,
      headers: { cookie: multi.auth.cookie },
    });
    expect(r.status).toBe(403);
  });
});

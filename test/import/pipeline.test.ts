// The import pipeline over HTTP: aggregation and normalisation are right, previews propose a mapping,
// and every malformed file is refused with a 4xx naming the row and column while the store stays unchanged.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/server-harness.ts';
import { parseWhen } from '../../server/import/dates.ts';
import { proposeMapping } from '../../server/import/mapping.ts';
import {
  parseEdgeList,
  parseTwoMode,
  projectTwoMode,
  projectionPairs,
} from '../../server/import/formats/network-files.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';

let h: Harness;
const CSV = { 'content-type': 'text/csv' };

beforeAll(async () => {
  h = await startHarness({ limits: { uploadBytes: 64 * 1024 } });
});
afterAll(async () => h.close());

type Err = { error: { code: string; message: string; row?: number; column?: string; details?: unknown[] } };

async function unchanged<T>(fn: () => Promise<T>): Promise<T> {
  const before = { v: await h.stores.graph.dataVersion(), c: await h.stores.counts() };
  const out = await fn();
  expect(await h.stores.graph.dataVersion()).toBe(before.v);
  expect((await h.stores.counts()).entities).toBe(before.c.entities);
  expect((await h.stores.counts()).links).toBe(before.c.links);
  return out;
}

describe('call data records', () => {
  const cdr = [
    'A Number,B Number,Start Time,Duration',
    '07700 900123,07700900456,2024-03-01 14:05:00,60',
    '+44 7700 900123,0044 7700 900456,01/03/2024 15:00,00:02:00',
    '07700900123,07700900456,2024-03-02T09:00:00Z,30',
    '07700900456,07700900123,2024-03-03 10:00,5',
  ].join('\n');

  it('previews the first rows with a proposed mapping and what is missing', async () => {
    const r = await h.call(
      'POST',
      '/api/imports/preview?format=cdr',
      'Caller,Callee,When\n07700900123,07700900456,2024-01-01\n',
      CSV,
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      columns: ['Caller', 'Callee', 'When'],
      mapping: { caller: 'Caller', callee: 'Callee' },
      missing: ['start'],
    });
    const mapped = await h.call(
      'POST',
      '/api/imports/preview?format=cdr&map=When=start',
      'Caller,Callee,When\n07700900123,07700900456,2024-01-01\n',
      CSV,
    );
    expect(mapped.json).toMatchObject({
      missing: [],
      rows: [['07700900123', '07700900456', '2024-01-01']],
      errors: [],
    });
  });

  it('aggregates calls per ordered pair with count, total duration and first/last call, numbers in E.164', async () => {
    const r = await h.call(
      'POST',
      '/api/imports?format=cdr&map=A Number=caller,B Number=callee,Start Time=start&grading=2B&report=CDR-1',
      cdr,
      CSV,
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      rowsRead: 4,
      rowsRejected: 0,
      entities: { created: 2 },
      links: { created: 2 },
      reports: { created: 1 },
    });
    const a = await h.stores.graph.findEntity('Phone', '+447700900123');
    expect(a).not.toBeNull();
    const links = await h.stores.graph.listLinks({ entityId: a!.id });
    const out = links.items.find((l) => l.from === a!.id)!;
    expect(out).toMatchObject({ type: 'CALLED', weight: 3, properties: { calls: 3, totalDuration: 210 } });
    expect(out.firstSeen?.slice(0, 16)).toBe('2024-03-01T14:05');
    expect(out.lastSeen?.slice(0, 16)).toBe('2024-03-02T09:00');
    expect(out.grading).toEqual({ source: 2, intel: 'B' });
    const detail = await h.stores.graph.getLink(out.id);
    expect(detail!.reports.map((x) => x.ref)).toEqual(['CDR-1']);
    const again = await unchanged(() =>
      h.call(
        'POST',
        '/api/imports?format=cdr&map=A Number=caller,B Number=callee,Start Time=start&grading=2B&report=CDR-1',
        cdr,
        CSV,
      ),
    );
    expect(again.json).toMatchObject({
      entities: { created: 0, matched: 2 },
      links: { created: 0, matched: 2 },
    });
  });

  it('refuses a bad date with its row and column, and writes nothing', async () => {
    const bad =
      'caller,callee,start,duration\n07700900111,07700900222,2024-03-01 10:00,5\n07700900111,07700900222,2024-02-30 10:00,5\n';
    const r = await unchanged(() => h.call('POST', '/api/imports?format=cdr', bad, CSV));
    expect(r.status).toBe(400);
    expect((r.json as Err).error).toMatchObject({ code: 'invalid_file', row: 3, column: 'start' });
    expect((r.json as Err).error.message).toContain('"2024-02-30 10:00" is not a date');
  });

  it('refuses a missing column naming the columns the file has', async () => {
    const r = await unchanged(() =>
      h.call('POST', '/api/imports?format=cdr', 'caller,start\n07700900111,2024-01-01\n', CSV),
    );
    expect(r.status).toBe(400);
    expect((r.json as Err).error).toMatchObject({ code: 'missing_column', row: 1, column: 'callee' });
    expect((r.json as Err).error.message).toContain('"caller", "start"');
    const wrongMap = await unchanged(() =>
      h.call('POST', '/api/imports?format=cdr&map=Nope=caller', 'caller,callee,start\n', CSV),
    );
    expect((wrongMap.json as Err).error).toMatchObject({ code: 'missing_column', column: 'Nope' });
  });

  it('with skipInvalid imports the good rows and reports the rejected ones', async () => {
    const mixed =
      'caller,callee,start\n07700900333,07700900444,2024-01-01\nnot-a-number,07700900444,2024-01-01\n07700900333,07700900444,yesterday\n';
    const r = await h.call('POST', '/api/imports?format=cdr&skipInvalid=true', mixed, CSV);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      rowsRead: 3,
      rowsRejected: 2,
      links: { created: 1 },
      rejected: [
        { row: 3, column: 'caller' },
        { row: 4, column: 'start' },
      ],
    });
  });
});

describe('malformed files', () => {
  it('wrong encoding (Latin-1 bytes) is a 400 asking for UTF-8', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('caller,callee,start\n'),
      Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]),
      Buffer.from(',x,2024-01-01\n'),
    ]);
    const r = await unchanged(() => h.call('POST', '/api/imports?format=cdr', latin1, CSV));
    expect(r.status).toBe(400);
    expect((r.json as Err).error).toMatchObject({ code: 'wrong_encoding', row: 2 });
    const utf16 = Buffer.from('\ufeffcaller,callee\n', 'utf16le');
    const r16 = await unchanged(() =>
      h.call('POST', '/api/imports?format=cdr', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]), CSV),
    );
    expect((r16.json as Err).error.message).toContain('UTF-16');
  });

  it('a binary file (PNG) is a 400 saying it is not CSV text', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const r = await unchanged(() =>
      h.call('POST', '/api/imports?format=anpr', png, { 'content-type': 'application/octet-stream' }),
    );
    expect(r.status).toBe(400);
    expect((r.json as Err).error.code).toBe('binary_file');
  });

  it('an empty file, a bad option and a matrix that is not a matrix are 400s', async () => {
    expect((await h.call('POST', '/api/imports?format=cdr', '', CSV)).status).toBe(400);
    const opt = await h.call('POST', '/api/imports?format=xls', 'a,b\n', CSV);
    expect((opt.json as Err).error.message).toContain('unknown format "xls"');
    const grading = await h.call('POST', '/api/imports?format=cdr&grading=9Z', 'a,b\n', CSV);
    expect((grading.json as Err).error.message).toContain('grading');
    const notSquare = await unchanged(() =>
      h.call('POST', '/api/imports?format=matrix&name=m.csv', ',a,b\na,0,1\nb,1,x\n', CSV),
    );
    expect(notSquare.status).toBe(400);
    expect((notSquare.json as Err).error).toMatchObject({ code: 'invalid_file', row: 3 });
  });

  it('an upload over the cap is a 413, whether announced (2 GB) or streamed', async () => {
    // Announced: a 2 GB content-length is refused before the body is read.
    const announced = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(h.url + '/api/imports?format=cdr');
      const req = httpRequest(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname + u.search,
          method: 'POST',
          headers: { ...h.auth, ...CSV, 'content-length': String(2 * 1024 ** 3) },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('caller,callee,start\n');
      // The server answers without waiting for the rest; end our side so the socket closes.
      setTimeout(() => req.destroy(), 2000);
    });
    expect(announced.status).toBe(413);
    expect(announced.body).toContain('upload limit of 65536 bytes');
    // Streamed (chunked, no length): counted as it arrives.
    const big = 'caller,callee,start\n' + '07700900123,07700900456,2024-01-01\n'.repeat(4000);
    const r = await unchanged(() =>
      fetch(h.url + '/api/imports?format=cdr', {
        method: 'POST',
        headers: { ...h.auth, ...CSV },
        body: new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode(big));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit).then(async (res) => ({ status: res.status, json: (await res.json()) as Err })),
    );
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('too_large');
  });
});

describe('bounded reading', () => {
  let b: Harness;
  beforeAll(async () => {
    b = await startHarness({
      limits: {
        maxImportRowChars: 200,
        maxImportColumns: 8,
        maxNetworkFileBytes: 4096,
        maxProjectionPairs: 10,
      },
    });
  });
  afterAll(async () => b.close());
  const counts = async () => (await b.stores.counts()).entities + (await b.stores.counts()).links;

  it('a row over the row cap is refused naming it; a preview lists it beside the rows before it', async () => {
    const file = 'caller,callee,start\n07700900123,07700900456,2024-01-01\n"' + 'x'.repeat(300) + '\n';
    const r = await b.call('POST', '/api/imports?format=cdr', file, CSV);
    expect(r.status, r.text).toBe(400);
    expect((r.json as Err).error).toMatchObject({ code: 'row_too_long', row: 3 });
    expect((r.json as Err).error.message).toContain('LINKCHART_MAX_IMPORT_ROW_CHARS');
    const p = await b.call('POST', '/api/imports/preview?format=cdr', file, CSV);
    expect(p.status, p.text).toBe(200);
    expect(p.json).toMatchObject({ rows: [['07700900123', '07700900456', '2024-01-01']] });
    expect((p.json as { errors: Array<{ row: number }> }).errors).toMatchObject([{ row: 3 }]);
    expect(await counts()).toBe(0);
  });

  it('a header or row with more cells than the column cap is refused naming the row', async () => {
    const wide = await b.call('POST', '/api/imports?format=cdr', 'a,b,c,d,e,f,g,h,i,j\n1,2\n', CSV);
    expect((wide.json as Err).error).toMatchObject({ code: 'too_many_columns', row: 1 });
    const preview = await b.call('POST', '/api/imports/preview?format=cdr', ','.repeat(30), CSV);
    expect(preview.status).toBe(400);
    expect((preview.json as Err).error).toMatchObject({ code: 'too_many_columns', row: 1 });
    expect(await counts()).toBe(0);
  });

  it('a network file over its own cap is a 413 naming the variable; a pathological one is refused fast', async () => {
    const big = 'a,b\n'.repeat(2000);
    const r = await b.call('POST', '/api/imports?format=edgelist&name=big.csv', big, CSV);
    expect(r.status).toBe(413);
    expect((r.json as Err).error.message).toContain('LINKCHART_MAX_NETWORK_FILE_BYTES');
    const open = await b.call('POST', '/api/imports?format=matrix&name=m.csv', '"' + ',1\n'.repeat(100), CSV);
    expect(open.status).toBe(400);
    expect((open.json as Err).error).toMatchObject({ code: 'invalid_file', row: 1 });
    expect(await counts()).toBe(0);
  });

  it('a two-mode projection joining more pairs than the cap is a 413; without project it imports', async () => {
    // Five people at one event: 10 pairs (the cap); six: 15.
    const five = ',meeting\n' + ['a', 'b', 'c', 'd', 'e'].map((p) => `${p},1`).join('\n') + '\n';
    const six = five + 'f,1\n';
    const over = await b.call('POST', '/api/imports?format=twomode&name=six.csv&project=true', six, CSV);
    expect(over.status, over.text).toBe(413);
    expect((over.json as Err).error).toMatchObject({ code: 'projection_too_large' });
    expect((over.json as Err).error.message).toContain('15 pairs');
    expect(await counts()).toBe(0);
    const ok = await b.call('POST', '/api/imports?format=twomode&name=five.csv&project=true', five, CSV);
    expect(ok.status, ok.text).toBe(200);
    const plain = await b.call('POST', '/api/imports?format=twomode&name=six.csv', six, CSV);
    expect(plain.status, plain.text).toBe(200);
  });

  it('long network files parse without overflowing the stack, and the projection counts shared events', () => {
    const edges = Array.from({ length: 200_000 }, (_, i) => `n${i},n${i + 1}`).join('\n');
    expect(parseEdgeList('source,target\n' + edges, { header: true }).edges).toHaveLength(200_000);
    // Against every pair counted directly, on a small random incidence matrix.
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const actors = Array.from({ length: 30 }, (_, i) => `p${i}`);
    const events = Array.from({ length: 12 }, (_, j) => `e${j}`);
    const text =
      ',' +
      events.join(',') +
      '\n' +
      actors.map((a) => a + events.map(() => (rnd() < 0.3 ? ',1' : ',0')).join('')).join('\n');
    const tm = parseTwoMode(text);
    const expected = [];
    for (let i = 0; i < actors.length; i++)
      for (let k = i + 1; k < actors.length; k++) {
        const shared = tm.incidence[i].filter((v, j) => v > 0 && tm.incidence[k][j] > 0).length;
        if (shared > 0)
          expected.push({ source: actors[i], target: actors[k], weight: shared, directed: false });
      }
    expect(projectTwoMode(tm).edges).toEqual(expected);
    expect(projectionPairs(tm)).toBe(expected.reduce((n, e) => n + e.weight, 0));
  });
});

describe('ANPR, entities and links', () => {
  it('ANPR reads become Vehicle, Location and SIGHTED_AT links aggregated per vehicle and place', async () => {
    const anpr =
      'VRM,Camera,Time,Lat,Lon\nab12 cde,M6 J10 North,2024-04-01 08:00,52.58,-2.05\nAB12CDE,M6 J10 North,2024-04-02 09:30,52.58,-2.05\nXY99 ZZZ,A5 Depot,2024-04-03 22:15,,\n';
    const r = await h.call('POST', '/api/imports?format=anpr', anpr, CSV);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ entities: { created: 4 }, links: { created: 2 } });
    const v = await h.stores.graph.findEntity('Vehicle', 'AB12CDE');
    // Keyed without the space, shown as on the plate.
    expect(v).toMatchObject({ label: 'AB12 CDE', properties: { vrm: 'AB12CDE' } });
    const l = (await h.stores.graph.listLinks({ entityId: v!.id })).items[0];
    expect(l).toMatchObject({ type: 'SIGHTED_AT', weight: 2, properties: { reads: 2 } });
    const bad = await unchanged(() =>
      h.call('POST', '/api/imports?format=anpr', 'vrm,camera,time,lat,lon\nAB12CDE,X,2024-01-01,95,1\n', CSV),
    );
    expect((bad.json as Err).error).toMatchObject({ row: 2, column: 'lat' });
  });

  it('reads the date and the time of day from two columns, for call records and ANPR reads', async () => {
    const cdr =
      'Date,Time,A Number,B Number,Duration\n01/06/2024,9:05,07700900101,07700900102,00:01:30\n02/06/2024,17:45:10,07700900101,07700900102,30\n';
    const p = await h.call('POST', '/api/imports/preview?format=cdr', cdr, CSV);
    expect(p.json).toMatchObject({ mapping: { start: 'Date', timeOfDay: 'Time' } });
    const r = await h.call('POST', '/api/imports?format=cdr', cdr, CSV);
    expect(r.status, r.text).toBe(200);
    const phone = await h.stores.graph.findEntity('Phone', '+447700900101');
    const called = (await h.stores.graph.listLinks({ entityId: phone!.id })).items[0];
    expect(called).toMatchObject({
      firstSeen: '2024-06-01T09:05:00Z',
      lastSeen: '2024-06-02T17:45:10Z',
      properties: { calls: 2, totalDuration: 120 },
    });

    const anpr = 'VRM,Camera,Read Date,Read Time\nKX70 ABC,A38 Bridge,2024-06-03,23:59:59\n';
    const a = await h.call('POST', '/api/imports?format=anpr', anpr, CSV);
    expect(a.status, a.text).toBe(200);
    expect(a.json).toMatchObject({ mapping: { time: 'Read Date', timeOfDay: 'Read Time' } });
    const car = await h.stores.graph.findEntity('Vehicle', 'KX70ABC');
    expect((await h.stores.graph.listLinks({ entityId: car!.id })).items[0].firstSeen).toBe(
      '2024-06-03T23:59:59Z',
    );

    // A bad time is blamed on the time column, and the file writes nothing.
    const bad = await unchanged(() =>
      h.call('POST', '/api/imports?format=cdr', cdr.replace('17:45:10', '25:00'), CSV),
    );
    expect((bad.json as Err).error).toMatchObject({ row: 3, column: 'Time' });
    expect((bad.json as Err).error.message).toContain('"25:00"');
  });

  it('proposes a time-of-day column only beside a column that holds a date alone', () => {
    expect(proposeMapping('cdr', ['Caller', 'Callee', 'Start Time', 'Time'], {})).toEqual({
      caller: 'Caller',
      callee: 'Callee',
      start: 'Start Time',
    });
    expect(proposeMapping('anpr', ['VRM', 'Camera', 'Time'], {})).toEqual({
      vrm: 'VRM',
      place: 'Camera',
      time: 'Time',
    });
    expect(proposeMapping('cdr', ['Call Date', 'Call Time', 'A', 'B'], { caller: 'A', callee: 'B' })).toEqual(
      {
        caller: 'A',
        callee: 'B',
        start: 'Call Date',
        timeOfDay: 'Call Time',
      },
    );
  });

  it('generic entities and links CSVs map columns to types and properties, and refuse a link the model forbids', async () => {
    const people = 'Name,Type,Nickname,PNC\nCarol White,Person,Caz,\nDan Black,Person,,12/345\n';
    const r = await h.call(
      'POST',
      '/api/imports?format=entities&map=Name=label,PNC=externalRef',
      people,
      CSV,
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ entities: { created: 2 } });
    const dan = (await h.stores.graph.search('Dan Black'))[0].entity;
    expect(dan).toMatchObject({ key: 'ref:12/345', properties: { externalRef: '12/345' } });
    const links =
      'from,to,type,weight,first seen\nCarol White,Erin Gray,ASSOCIATE_OF,2,2024-01-01\nErin Gray,Carol White,ASSOCIATE_OF,1,2023-06-01\n';
    const lr = await h.call('POST', '/api/imports?format=links&fromType=Person&toType=Person', links, CSV);
    expect(lr.status, lr.text).toBe(200);
    // Both rows are the same undirected pair: one link, weights added, dates widened.
    expect(lr.json).toMatchObject({ entities: { created: 1, matched: 1 }, links: { created: 1 } });
    const erin = (await h.stores.graph.search('Erin Gray'))[0].entity;
    const link = (await h.stores.graph.listLinks({ entityId: erin.id })).items[0];
    expect(link).toMatchObject({ weight: 3 });
    expect(link.firstSeen?.slice(0, 10)).toBe('2023-06-01');
    const forbidden = await unchanged(() =>
      h.call(
        'POST',
        '/api/imports?format=links&linkType=CALLED&fromType=Person&toType=Person',
        'from,to\nA,B\n',
        CSV,
      ),
    );
    expect((forbidden.json as Err).error.message).toContain(
      'a CALLED link joins Phone to Phone, not Person to Person',
    );
  });

  it('lists recent import reports', async () => {
    const r = await h.call('GET', '/api/imports?limit=2');
    expect(r.status).toBe(200);
    expect((r.json as { items: unknown[]; total: number }).items).toHaveLength(2);
    const id = (r.json as { items: Array<{ importId: string }> }).items[0].importId;
    expect((await h.call('GET', `/api/imports/${id}`)).status).toBe(200);
    expect((await h.call('GET', '/api/imports/imp-nope')).status).toBe(404);
  });
});

describe('dates', () => {
  it('reads ISO and UK day-first forms, refuses impossible dates', () => {
    expect(parseWhen('2024-03-01')).toBe('2024-03-01T00:00:00Z');
    expect(parseWhen('2024-03-01T14:05:00+01:00')).toBe('2024-03-01T13:05:00Z');
    expect(parseWhen('01/03/2024 14:05')).toBe('2024-03-01T14:05:00Z');
    expect(parseWhen('29/02/2023')).toBeNull();
    expect(parseWhen('2024-13-01')).toBeNull();
    expect(parseWhen('tomorrow')).toBeNull();
  });
});

describe('import reports', () => {
  type Listed = {
    items: Array<{ importId: string; name: string; actor?: string; at?: string; rowsRead: number }>;
  };

  it('keeps each run in the store: listed newest first with who and when, after a reopen, CLI runs included', async () => {
    const csv = 'caller,callee,start\n07700900901,07700900902,2024-05-01T10:00:00Z\n';
    const q = '/api/imports?format=cdr&name=reports-test.csv';
    const first = await h.call('POST', q, csv, CSV);
    expect(first.status, first.text).toBe(200);
    const id = (first.json as { importId: string }).importId;
    await h.call('POST', q, csv, CSV);
    const listed = await h.call('GET', `/api/imports?importId=${id}`);
    expect(listed.status, listed.text).toBe(200);
    const runs = (listed.json as Listed).items;
    expect(runs.map((r) => [r.importId, r.name, r.actor, r.rowsRead])).toEqual([
      [id, 'reports-test.csv', 'tester', 1],
      [id, 'reports-test.csv', 'tester', 1],
    ]);
    expect(Date.parse(runs[0].at!)).toBeGreaterThan(Date.now() - 60_000);
    const one = await h.call('GET', `/api/imports/${id}`);
    expect(one.json).toMatchObject({ importId: id, links: { created: 0, matched: 1 }, actor: 'tester' });
    expect((await h.call('GET', '/api/imports/imp-nothing')).status).toBe(404);

    // The file itself holds the runs: a second connection (a restarted server) reads them.
    const path = (h.stores as SqliteStores).path;
    const reopened = await openSqliteStores(path);
    try {
      expect((await reopened.imports.listImportRuns({ importId: id })).total).toBe(2);
    } finally {
      await reopened.close();
    }

    // An import by the CLI, in its own process, is listed by the running server.
    const file = join(mkdtempSync(join(tmpdir(), 'lc-runs-')), 'cli-calls.csv');
    writeFileSync(file, 'caller,callee,start\n07700900903,07700900904,2024-05-02T10:00:00Z\n');
    execFileSync('npx', ['tsx', 'server/cli/import.ts', file, '--format', 'cdr'], {
      env: { ...process.env, LINKCHART_DB: path },
      cwd: resolve(import.meta.dirname, '../..'),
      stdio: 'pipe',
    });
    const latest = (await h.call('GET', '/api/imports?limit=1')).json as Listed & { total: number };
    expect(latest.items[0]).toMatchObject({ name: 'cli-calls.csv', rowsRead: 1 });
    expect(latest.total).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

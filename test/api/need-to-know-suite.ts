// Need-to-know through the whole API, over real HTTP against a real server on each store (SQLite: test/api/
// need-to-know.test.ts; Neo4j: test/neo4j/need-to-know.test.ts, on the project's test server). A closed
// operation HALYARD shares a phone and a vehicle with the open operation KESTREL, and holds facts of its
// own: a person, a phone, a report, links and calls. Every route of the OpenAPI document is then called as
// an analyst outside HALYARD (with HALYARD's ids in its path and in its body where a route takes ids, and
// with the bodies an analyst's reads send): no answer, file, PDF or error carries an id, label, property,
// report, path node, view node, score, export row or briefing line of HALYARD's own facts. A member gets
// them; the shared phone shows each reader their own operation's properties and reports only; naming
// HALYARD in the header is the 404 of an operation that does not exist.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPng, type Caller, type OpsHarness, type Reply } from './ops-harness.ts';

type Doc = { paths: Record<string, Record<string, { requestBody?: unknown }>> };
type Err = { error: { code: string; message: string } };
type Page<T> = { items: T[]; total: number };
type Entity = { id: string; label: string; key: string; properties: Record<string, unknown> };

export interface SuiteOptions {
  /** How long starting the server and writing both operations may take (a Neo4j test waits for the database). */
  setupMs: number;
  /** After the server is closed (the Neo4j test gives the database back). */
  after?: () => Promise<void> | void;
}

/** The whole suite against the server `start` makes (its store empty). */
export function needToKnowSuite(store: string, start: () => Promise<OpsHarness>, opts: SuiteOptions): void {
  describe(`need-to-know through the API on ${store}`, () => {
    let h: OpsHarness;
    let boss: Caller; // supervisor: owns both operations
    let mole: Caller; // analyst member of HALYARD
    let outsider: Caller; // analyst, in KESTREL's open force only
    let kestrel: string;
    let halyard: string;
    /** HALYARD's own facts: ids and words no outsider may see anywhere. */
    const secret = {
      ids: [] as string[],
      words: ['Zed Halyard', '900999', 'SECRETSUPPLIER', 'HALSECRETPROP', 'H-SECRET-1', 'HALYARD'],
    };
    const id: Record<string, string> = {};

    const KESTREL_CDR = [
      'Caller,Callee,Start,Duration',
      '07700900001,07700900002,2024-03-04T09:15:00Z,60',
    ].join('\n');
    const HALYARD_CDR = [
      'Caller,Callee,Start,Duration',
      '07700900999,07700900001,2024-03-05T09:15:00Z,60',
      '07700900999,07700900001,2024-03-06T22:15:00Z,30',
    ].join('\n');

    function leaks(r: Reply | string): string[] {
      // GraphML and GEXF name their attribute columns with ids of their own (e5, e6 …), declared and then used
      // as key= and for=: not entity ids.
      const text = (typeof r === 'string' ? r : r.text)
        .replace(/<(key|attribute) id="[^"]*"/g, '<$1')
        .replace(/ (key|for)="[^"]*"/g, ' $1');
      return [
        ...secret.ids.filter((x) => new RegExp(`(^|[^A-Za-z0-9_-])${x}([^A-Za-z0-9_-]|$)`).test(text)),
        ...secret.words.filter((w) => text.includes(w)),
      ];
    }

    async function ok(r: Promise<Reply>, status = 200): Promise<Reply> {
      const got = await r;
      expect(got.status, got.text.slice(0, 500)).toBe(status);
      return got;
    }

    async function runJob(caller: Caller, body: unknown): Promise<Reply> {
      const start = await ok(caller('POST', '/api/analysis/jobs', body), 202);
      const jobId = (start.json as { id: string }).id;
      for (let i = 0; i < 400; i++) {
        const s = await caller('GET', `/api/analysis/jobs/${jobId}`);
        const state = (s.json as { state: string }).state;
        if (state === 'done') break;
        if (state === 'failed' || state === 'cancelled') throw new Error(s.text);
        await new Promise((r) => setTimeout(r, 25));
      }
      return ok(caller('GET', `/api/analysis/jobs/${jobId}/result`));
    }

    const VIEW = {
      filter: {},
      projection: { foldPhones: false, personVia: [] },
      grading: 'ignore',
      directed: false,
    };

    beforeAll(async () => {
      h = await start();
      boss = await h.as('boss', 'supervisor');
      mole = await h.as('mole', 'analyst');
      outsider = await h.as('outsider', 'analyst');
      kestrel = (
        (
          await ok(
            boss('POST', '/api/operations', { ref: 'KESTREL', name: 'county lines', sensitivity: 'open' }),
            201,
          )
        ).json as { id: string }
      ).id;
      halyard = (
        (
          await ok(
            boss('POST', '/api/operations', { ref: 'HALYARD', name: 'supplier', sensitivity: 'closed' }),
            201,
          )
        ).json as { id: string }
      ).id;
      await ok(boss('PUT', `/api/operations/${halyard}/members/mole`, { role: 'analyst' }));
      const inK = { 'x-linkchart-operation': kestrel };
      const inH = { 'x-linkchart-operation': halyard };

      // KESTREL (open), written by the outsider.
      const k = await ok(
        outsider(
          'POST',
          '/api/batch',
          {
            reports: [
              {
                ref: 'K-REP-1',
                date: '2024-03-01',
                author: 'DC Kay',
                text: 'kestrel sighting',
                source: 2,
                intel: 'B',
                handling: 'P',
              },
            ],
            entities: [
              { type: 'Person', label: 'Kes Alpha', reports: ['K-REP-1'] },
              {
                type: 'Phone',
                label: '07700900001',
                properties: { note: 'kestrel-note' },
                reports: ['K-REP-1'],
              },
              { type: 'Vehicle', label: 'AB12CDE', reports: ['K-REP-1'] },
            ],
          },
          inK,
        ),
      );
      const kr = k.json as { entityIds: string[]; reportIds: string[] };
      [id.kes, id.phone1, id.car] = kr.entityIds;
      id.kReport = kr.reportIds[0];
      for (const to of [id.phone1, id.car])
        await ok(
          outsider(
            'POST',
            '/api/links',
            { type: 'USES', from: { id: id.kes }, to: { id: to }, reports: ['K-REP-1'] },
            inK,
          ),
          201,
        );
      await ok(
        outsider('POST', '/api/imports?format=cdr', KESTREL_CDR, { ...inK, 'content-type': 'text/csv' }),
      );

      // HALYARD (closed), written by its member: the same phone and vehicle, and facts of its own.
      const hb = await ok(
        mole(
          'POST',
          '/api/batch',
          {
            reports: [
              {
                ref: 'H-SECRET-1',
                date: '2024-03-02',
                author: 'DS Hal',
                text: 'SECRETSUPPLIER meets',
                source: 1,
                intel: 'A',
                handling: 'C',
                conditions: 'not to leave HALYARD',
              },
            ],
            entities: [
              { type: 'Person', label: 'Zed Halyard', reports: ['H-SECRET-1'] },
              {
                type: 'Phone',
                label: '07700900001',
                properties: { note: 'HALSECRETPROP' },
                reports: ['H-SECRET-1'],
              },
              { type: 'Phone', label: '07700900999', reports: ['H-SECRET-1'] },
              { type: 'Vehicle', label: 'AB12CDE', reports: ['H-SECRET-1'] },
            ],
          },
          inH,
        ),
      );
      const hr = hb.json as { entityIds: string[]; reportIds: string[] };
      id.zed = hr.entityIds[0];
      id.phone999 = hr.entityIds[2];
      id.hReport = hr.reportIds[0];
      expect(hr.entityIds[1]).toBe(id.phone1); // the same phone is one entity
      expect(hr.entityIds[3]).toBe(id.car);
      const links = [];
      for (const [from, to] of [
        [id.zed, id.phone999],
        [id.zed, id.phone1],
        [id.zed, id.car],
      ]) {
        const l = await ok(
          mole(
            'POST',
            '/api/links',
            { type: 'USES', from: { id: from }, to: { id: to }, reports: ['H-SECRET-1'] },
            inH,
          ),
          201,
        );
        links.push((l.json as { id: string }).id);
      }
      const imp = await ok(
        mole('POST', '/api/imports?format=cdr&name=halyard-calls.csv', HALYARD_CDR, {
          ...inH,
          'content-type': 'text/csv',
        }),
      );
      id.hImport = (imp.json as { importId: string }).importId;
      const called = (await ok(mole('GET', `/api/links?entityId=${id.phone999}&limit=100`))).json as Page<{
        id: string;
      }>;
      secret.ids.push(
        id.zed,
        id.phone999,
        id.hReport,
        id.hImport,
        ...links,
        ...called.items.map((l) => l.id),
      );
      expect(secret.ids.length).toBeGreaterThanOrEqual(7);
    }, opts.setupMs);
    afterAll(async () => {
      await h?.close();
      await opts.after?.();
    });

    describe('an outsider', () => {
      it('is refused HALYARD in the header as if it did not exist', async () => {
        for (const hdr of [halyard, `${kestrel},${halyard}`]) {
          const r = await outsider('GET', '/api/entities', undefined, { 'x-linkchart-operation': hdr });
          expect(r.status).toBe(404);
          expect((r.json as Err).error.code).toBe('operation_not_found');
          expect(leaks(r)).toEqual([]);
        }
      });

      it('sees the shared phone with KESTREL properties and reports only', async () => {
        const phone = (await ok(outsider('GET', `/api/entities/${id.phone1}`))).json as Entity & {
          reports: Array<{ ref: string }>;
        };
        expect(phone.properties.note).toBe('kestrel-note');
        expect(phone.reports.map((r) => r.ref)).toEqual(['K-REP-1']);
        const mine = (await ok(mole('GET', `/api/entities/${id.phone1}`))).json as Entity & {
          reports: Array<{ ref: string }>;
        };
        expect(mine.reports.map((r) => r.ref).sort()).toEqual(['H-SECRET-1', 'K-REP-1']);
        expect(JSON.stringify(mine.properties)).toContain('HALSECRETPROP');
        const onlyHal = (
          await ok(mole('GET', `/api/entities/${id.phone1}`, undefined, { 'x-linkchart-operation': halyard }))
        ).json as Entity & { reports: Array<{ ref: string }> };
        expect(onlyHal.reports.map((r) => r.ref)).toEqual(['H-SECRET-1']);
        expect(onlyHal.properties.note).toBe('HALSECRETPROP');
      });

      it('gets no HALYARD fact from any route of the OpenAPI document', async () => {
        const doc = (await (await fetch(h.url + '/api/openapi.json')).json()) as Doc;
        const failures: string[] = [];
        const png = tinyPng().toString('base64');
        const sharedAndSecret = [id.phone1, id.car, id.kes, ...secret.ids];
        // The reads an analyst's screens send, with HALYARD's ids mixed in wherever ids are taken.
        const bodies: Record<string, unknown[]> = {
          'post /api/neighbourhood': [
            { seeds: [id.phone1, id.car, id.kes], hops: 3 },
            { seeds: [id.zed], hops: 1 },
          ],
          'post /api/paths': [
            { from: id.kes, to: id.car },
            { from: id.kes, to: id.zed },
          ],
          'post /api/view': [{ filter: {} }, { filter: { operations: [halyard, kestrel] } }],
          'post /api/events/query': [{ entityIds: [id.phone1] }, {}, { linkIds: secret.ids }],
          'post /api/events/timeline': [{ entityIds: [id.phone1, id.kes] }, { entityIds: [id.zed] }],
          'post /api/events/patterns': [{ entityId: id.phone1, timeZone: 'Europe/London' }],
          'post /api/events/around': [
            { at: '2024-03-05T10:00:00Z', hoursBefore: 72, hoursAfter: 72 },
            { entityId: id.phone1, at: '2024-03-05T10:00:00Z', hoursBefore: 72, hoursAfter: 72 },
          ],
          'post /api/events/histogram': [{}, { entityIds: [id.phone1] }],
          'post /api/cycle/priorities': [{}],
          'post /api/cycle/review': [{ before: '2024-01-01..2024-03-04', after: '2024-03-05..2024-12-31' }],
          'post /api/exports': [
            { format: 'json' },
            { format: 'csv', part: 'nodes' },
            { format: 'csv', part: 'links' },
            { format: 'graphml' },
            { format: 'gexf' },
            { format: 'anx' },
            { format: 'json', entityIds: sharedAndSecret },
            { format: 'json', view: { operations: [halyard] } },
          ],
          'post /api/exports/picture': [
            { format: 'png', marking: 'OFFICIAL', entityIds: sharedAndSecret, linkIds: secret.ids },
          ],
          'post /api/exports/briefing': [
            {
              title: 'Brief',
              author: 'DC Out',
              marking: 'OFFICIAL-SENSITIVE',
              chartPng: png,
              entityIds: sharedAndSecret,
              linkIds: secret.ids,
              topNodes: [
                { rank: 1, label: 'Kes Alpha', type: 'Person', value: 1 },
                { rank: 2, label: '07700900001', type: 'Phone', value: 1 },
              ],
              review: { before: '2024-01-01..2024-03-04', after: '2024-03-05..2024-12-31' },
            },
          ],
          'post /api/targets': [{ entityId: id.zed, reason: 'look at him', analysis: {} }],
          'post /api/merges': [{ keepId: id.kes, dropId: id.zed }],
          'post /api/duplicates/runs': [{}],
        };
        const queries: Record<string, string[]> = {
          'get /api/search': ['q=Halyard', 'q=07700900999', 'q=07700900001', 'q=AB12CDE'],
          'get /api/entities': ['limit=1000', 'type=Person&limit=1000', `importId=${id.hImport}`],
          'get /api/links': ['limit=1000', `entityId=${id.phone1}&limit=1000`, `entityId=${id.zed}`],
          'get /api/reports': ['limit=1000'],
          'get /api/exports': ['format=json', 'format=csv&part=links', `format=json&operation=${halyard}`],
          'get /api/imports': ['limit=100'],
        };
        let calls = 0;
        const check = (label: string, r: Reply, text: string, sent: string) => {
          calls++;
          if (r.status >= 500) failures.push(`${label}: ${r.status} ${r.text.slice(0, 200)}`);
          // A refusal may name the id it was asked about (the 404 of any unknown id does): that is the
          // caller's own input, not a fact. Anything else it shows, and anything an answer shows, is.
          const found = leaks(text).filter((x) => r.status < 400 || !sent.includes(x));
          if (found.length) {
            const at = Math.max(0, text.search(new RegExp(found[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))));
            failures.push(
              `${label}: ${r.status} shows ${found.join(', ')} in …${text.slice(Math.max(0, at - 80), at + 40)}…`,
            );
          }
        };
        for (const [path, ops] of Object.entries(doc.paths)) {
          if (/^\/api\/(auth|users)/.test(path)) continue; // sessions and accounts: not graph reads (and logout ends the walk)
          for (const method of Object.keys(ops)) {
            if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
            const key = `${method} ${path}`;
            const hasParam = /\{[^}]+\}/.test(path);
            const urls = hasParam
              ? [...secret.ids, halyard].map((x) =>
                  path.replace(/\{user\}/, 'outsider').replace(/\{[^}]+\}/g, encodeURIComponent(x)),
                )
              : (queries[key] ?? ['']).map((q) => (q ? `${path}?${q}` : path));
            const writes = method !== 'get';
            const sent = writes ? (bodies[key] ?? [{}]) : [undefined];
            for (const url of urls)
              for (const body of sent) {
                const r = await outsider(method.toUpperCase(), url, body);
                let text = r.text;
                if (r.headers.get('content-type')?.includes('application/pdf')) {
                  const file = join(h.dir, `walk-${calls}.pdf`);
                  writeFileSync(file, r.bytes);
                  text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
                }
                text += decodeURIComponent(r.headers.get('x-analysis-record') ?? '');
                check(
                  `${key} ${url} ${JSON.stringify(body ?? '').slice(0, 80)}`,
                  r,
                  text,
                  url + JSON.stringify(body ?? ''),
                );
                // A change naming HALYARD's facts never succeeds for an outsider.
                if (hasParam && ['put', 'patch', 'delete'].includes(method) && r.status < 300)
                  failures.push(`${key} ${url}: changed a HALYARD fact (${r.status})`);
              }
          }
        }
        expect(failures).toEqual([]);
        expect(calls).toBeGreaterThan(150);
      }, 300_000);

      it('gets analysis scores of KESTREL only, and a job cache of its own', async () => {
        const mine = await runJob(outsider, { view: VIEW, request: { kind: 'metric', metric: 'degree' } });
        expect(leaks(mine)).toEqual([]);
        expect(mine.text).toContain(id.kes);
        const theirs = await runJob(mole, { view: VIEW, request: { kind: 'metric', metric: 'degree' } });
        expect(theirs.text).toContain(id.zed);
      });

      it('exports and briefs with the marking of the operations read, on every page', async () => {
        const json = await ok(outsider('POST', '/api/exports', { format: 'json' }));
        const record = (json.json as { record: { operations: string[] } }).record;
        expect(record.operations).toContain('OP KESTREL · county lines · OPEN');
        expect(record.operations.join(' ')).not.toContain('HALYARD');
        const csv = await ok(outsider('POST', '/api/exports', { format: 'csv', part: 'nodes' }));
        expect(decodeURIComponent(csv.headers.get('x-analysis-record') ?? '')).toContain(
          'OP KESTREL · county lines · OPEN',
        );
        const theirs = await ok(
          mole(
            'POST',
            '/api/exports',
            {
              format: 'json',
              handling: {
                confirmConditions: true,
                justification: 'tasking meeting on the supplier',
                recipient: 'DI Lead',
              },
            },
            { 'x-linkchart-operation': halyard },
          ),
        );
        expect((theirs.json as { record: { operations: string[] } }).record.operations).toEqual([
          'OP HALYARD · supplier · CLOSED',
        ]);
        expect(theirs.text).toContain('Zed Halyard');
        const brief = await mole(
          'POST',
          '/api/exports/briefing',
          {
            title: 'Brief',
            author: 'DS Hal',
            marking: 'SECRET',
            chartPng: tinyPng().toString('base64'),
            entityIds: [id.zed],
            review: { before: '2024-01-01..2024-03-04', after: '2024-03-05..2024-12-31' },
            handling: {
              confirmConditions: true,
              justification: 'tasking meeting on the supplier',
              recipient: 'DI Lead',
            },
          },
          { 'x-linkchart-operation': halyard },
        );
        expect(brief.status, brief.text.slice(0, 300)).toBe(200);
        const file = join(h.dir, 'brief.pdf');
        writeFileSync(file, brief.bytes);
        const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
          .split('\f')
          .filter((p) => p.trim());
        expect(pages.length).toBeGreaterThanOrEqual(2);
        for (const p of pages) expect(p).toContain('OP HALYARD · supplier · CLOSED');
      });
    });

    describe('a member', () => {
      it('gets HALYARD facts: the entity, its report, its paths, its view nodes and its calls', async () => {
        expect((await ok(mole('GET', `/api/entities/${id.zed}`))).text).toContain('Zed Halyard');
        expect((await ok(mole('GET', `/api/reports/${id.hReport}`))).text).toContain('SECRETSUPPLIER');
        const view = await ok(mole('POST', '/api/view', { filter: {} }));
        expect(view.text).toContain(id.zed);
        const paths = await ok(mole('POST', '/api/paths', { from: id.kes, to: id.zed }));
        expect((paths.json as { paths: unknown[] }).paths.length).toBeGreaterThan(0);
        const calls = await ok(mole('POST', '/api/events/query', { entityIds: [id.phone999] }));
        expect((calls.json as { events: unknown[] }).events.length).toBe(2);
        const search = await ok(mole('GET', '/api/search?q=Halyard'));
        expect(search.text).toContain(id.zed);
      });

      it('has a job over HALYARD that a supervisor outside it cannot look into (one inside can)', async () => {
        const start = await ok(
          mole(
            'POST',
            '/api/analysis/jobs',
            { view: VIEW, request: { kind: 'metric', metric: 'degree' } },
            { 'x-linkchart-operation': halyard },
          ),
          202,
        );
        const jobId = (start.json as { id: string }).id;
        const overseer = await h.as('overseer', 'supervisor');
        expect((await overseer('GET', `/api/analysis/jobs/${jobId}`)).status).toBe(404);
        expect((await overseer('GET', `/api/analysis/jobs/${jobId}/result`)).status).toBe(404);
        expect((await boss('GET', `/api/analysis/jobs/${jobId}`)).status).toBe(200);
      });

      it('reading KESTREL only, sees no HALYARD fact either', async () => {
        const view = await ok(
          mole('POST', '/api/view', { filter: {} }, { 'x-linkchart-operation': kestrel }),
        );
        expect(leaks(view)).toEqual([]);
        const narrowed = await ok(mole('POST', '/api/view', { filter: { operations: [kestrel] } }));
        expect(leaks(narrowed)).toEqual([]);
      });
    });

    describe('import runs', () => {
      type Run = { importId: string; actor: string; operation?: { id: string; ref: string } };
      const runs = async (caller: Caller, headers?: Record<string, string>) =>
        ((await ok(caller('GET', '/api/imports?limit=100', undefined, headers))).json as Page<Run>).items;

      it('each run records its operation; anyone who may read it sees it, no one else', async () => {
        // A KESTREL import by someone other than the outsider: shown to the outsider all the same.
        const bossRun = await ok(
          boss('POST', '/api/imports?format=cdr&name=boss-calls.csv', KESTREL_CDR, {
            'x-linkchart-operation': kestrel,
            'content-type': 'text/csv',
          }),
        );
        const bossImport = (bossRun.json as { importId: string }).importId;
        const seen = await runs(outsider);
        expect(seen.map((r) => r.importId)).toContain(bossImport);
        expect(seen.map((r) => r.importId)).not.toContain(id.hImport);
        expect(seen.every((r) => r.operation?.id === kestrel)).toBe(true);
        expect(seen.find((r) => r.importId === bossImport)).toMatchObject({
          actor: 'boss',
          operation: { id: kestrel, ref: 'KESTREL' },
        });
        const hidden = await outsider('GET', `/api/imports/${encodeURIComponent(id.hImport)}`);
        expect([hidden.status, (hidden.json as Err).error.code]).toEqual([404, 'not_found']);
        expect(leaks(hidden).filter((x) => x !== id.hImport)).toEqual([]);
        // The member reads both operations' runs; narrowed to KESTREL, KESTREL's only.
        const theirs = await runs(mole);
        expect(theirs.find((r) => r.importId === id.hImport)).toMatchObject({
          actor: 'mole',
          operation: { id: halyard, ref: 'HALYARD' },
        });
        expect(theirs.map((r) => r.importId)).toContain(bossImport);
        const narrowed = await runs(mole, { 'x-linkchart-operation': kestrel });
        expect(narrowed.map((r) => r.importId)).not.toContain(id.hImport);
        expect(narrowed.map((r) => r.importId)).toContain(bossImport);
        const one = await ok(mole('GET', `/api/imports/${encodeURIComponent(id.hImport)}`));
        expect((one.json as Run).operation?.ref).toBe('HALYARD');
        // Anyone in HALYARD sees the run, not only the one who ran it (boss owns HALYARD).
        expect((await runs(boss)).map((r) => r.importId)).toContain(id.hImport);
      });
    });

    describe('the search for duplicates', () => {
      type Pair = { aId: string; bId: string; state: string };
      type RunOut = { records: number; proposed: number; waiting: number };
      const dob = { dob: '1988-03-14' };
      /** Person, phone and vehicle records a caller may read (what a run compares). */
      async function readable(caller: Caller): Promise<number> {
        let n = 0;
        for (const type of ['Person', 'Phone', 'Vehicle'])
          n += ((await ok(caller('GET', `/api/entities?type=${type}&limit=1`))).json as Page<Entity>).total;
        return n;
      }
      const pairs = async (caller: Caller) =>
        ((await ok(caller('GET', '/api/duplicates?state=new&limit=200'))).json as Page<Pair>).items;
      const run = async (caller: Caller) =>
        (await ok(caller('POST', '/api/duplicates/runs', {}))).json as RunOut;
      const has = (ps: Pair[], a: string, b: string) =>
        ps.some((p) => (p.aId === a && p.bId === b) || (p.aId === b && p.bId === a));
      const halyardOnly: string[] = [];
      const dupe: Record<string, string> = {};

      beforeAll(async () => {
        // KESTREL: Marcus Quill on a phone, and Tilda Fenwick recorded twice on another.
        const k = await ok(
          outsider(
            'POST',
            '/api/batch',
            {
              entities: [
                { type: 'Person', label: 'Marcus Quill', key: 'mq-k', properties: dob },
                { type: 'Person', label: 'Tilda Fenwick', key: 'tf-1', properties: { dob: '1990-07-01' } },
                { type: 'Person', label: 'Tilda Fenwick', key: 'tf-2', properties: { dob: '1990-07-01' } },
                { type: 'Phone', label: '07700 900555' },
                { type: 'Phone', label: '07700 900666' },
              ],
              links: [
                {
                  type: 'USES',
                  from: { type: 'Person', key: 'mq-k' },
                  to: { type: 'Phone', key: '+447700900555' },
                },
                {
                  type: 'USES',
                  from: { type: 'Person', key: 'tf-1' },
                  to: { type: 'Phone', key: '+447700900666' },
                },
                {
                  type: 'USES',
                  from: { type: 'Person', key: 'tf-2' },
                  to: { type: 'Phone', key: '+447700900666' },
                },
              ],
            },
            { 'x-linkchart-operation': kestrel },
          ),
        );
        [dupe.mqK, dupe.tf1, dupe.tf2] = (k.json as { entityIds: string[] }).entityIds;
        // HALYARD: the same Marcus Quill, on the same phone, recorded again.
        const hq = await ok(
          mole(
            'POST',
            '/api/batch',
            {
              entities: [
                { type: 'Person', label: 'Marcus Quill', key: 'mq-h', properties: dob },
                { type: 'Phone', label: '07700 900555' },
              ],
              links: [
                {
                  type: 'USES',
                  from: { type: 'Person', key: 'mq-h' },
                  to: { type: 'Phone', key: '+447700900555' },
                },
              ],
            },
            { 'x-linkchart-operation': halyard },
          ),
        );
        dupe.mqH = (hq.json as { entityIds: string[] }).entityIds[0];
        halyardOnly.push(dupe.mqH, ...secret.ids);
      });

      it("an outsider's run compares only what they may read and proposes no pair with HALYARD's records", async () => {
        const mine = await run(outsider);
        expect(mine.records).toBe(await readable(outsider));
        const seen = await pairs(outsider);
        expect(has(seen, dupe.tf1, dupe.tf2)).toBe(true);
        expect(mine.waiting).toBe(seen.length);
        // The store's whole queue (read by the member of both) holds no pair with a HALYARD record either.
        const all = await pairs(mole);
        expect(all.filter((p) => halyardOnly.includes(p.aId) || halyardOnly.includes(p.bId))).toEqual([]);
      });

      it("a member's run compares what they read, and proposes the pair across KESTREL and HALYARD", async () => {
        const theirs = await run(mole);
        const n = await readable(mole);
        expect(theirs.records).toBe(n);
        expect(n).toBeGreaterThan(await readable(outsider));
        const seen = await pairs(mole);
        expect(has(seen, dupe.mqK, dupe.mqH)).toBe(true);
        expect(theirs.waiting).toBe(seen.length);
        // An outsider's later run neither shows nor takes off the pair it cannot see.
        const again = await run(outsider);
        expect(again.records).toBe(await readable(outsider));
        expect(has(await pairs(outsider), dupe.mqK, dupe.mqH)).toBe(false);
        expect(has(await pairs(mole), dupe.mqK, dupe.mqH)).toBe(true);
      });
    });

    describe("a possible duplicate's evidence", () => {
      type Pair = { id: string; aId: string; bId: string; state: string; evidence: string[]; ops: string[] };
      /** What HALYARD alone holds of the two Orlas: no outsider may meet it in any duplicates answer. */
      const HALYARD_ONLY = ['1979-11-23', 'HX99SEC', 'HALDUPNOTE'];
      const orla: Record<string, string> = {};
      let pairId = '';
      const inK = () => ({ 'x-linkchart-operation': kestrel });
      const inH = () => ({ 'x-linkchart-operation': halyard });
      const pairsOf = async (caller: Caller, state = 'new') =>
        ((await ok(caller('GET', `/api/duplicates?state=${state}&limit=200`))).json as Page<Pair>).items;
      /** HALYARD's facts (the suite's own and the Orlas') anywhere in an answer. */
      const secrets = (r: Reply) => [...leaks(r), ...HALYARD_ONLY.filter((w) => r.text.includes(w))];

      /** Every duplicates read the caller can make: the queue in each state, and each pair listed, whole. */
      async function everyRead(caller: Caller): Promise<Reply[]> {
        const out: Reply[] = [];
        for (const state of ['', 'new', 'deferred', 'accepted', 'rejected']) {
          const list = await ok(caller('GET', `/api/duplicates?limit=200${state ? `&state=${state}` : ''}`));
          out.push(list);
          for (const p of (list.json as Page<Pair>).items)
            out.push(await ok(caller('GET', `/api/duplicates/${p.id}`)));
        }
        return out;
      }

      beforeAll(async () => {
        // KESTREL: Orla Penhallow recorded twice, both on one phone.
        const k = await ok(
          outsider(
            'POST',
            '/api/batch',
            {
              entities: [
                { type: 'Person', label: 'Orla Penhallow', key: 'orla-1' },
                { type: 'Person', label: 'Orla Penhallow', key: 'orla-2' },
                { type: 'Phone', label: '07700 900777' },
              ],
              links: ['orla-1', 'orla-2'].map((key) => ({
                type: 'USES',
                from: { type: 'Person', key },
                to: { type: 'Phone', key: '+447700900777' },
              })),
            },
            inK(),
          ),
        );
        [orla.one, orla.two, orla.phone] = (k.json as { entityIds: string[] }).entityIds;
        // HALYARD writes the same two people and phone (so all three are shared) with what only it knows:
        // their date of birth, a note on the phone and a car of its own both drive.
        const h = await ok(
          mole(
            'POST',
            '/api/batch',
            {
              entities: [
                { type: 'Person', label: 'Orla Penhallow', key: 'orla-1', properties: { dob: '1979-11-23' } },
                { type: 'Person', label: 'Orla Penhallow', key: 'orla-2', properties: { dob: '1979-11-23' } },
                { type: 'Phone', label: '07700 900777', properties: { note: 'HALDUPNOTE' } },
                { type: 'Vehicle', label: 'HX99SEC' },
              ],
              links: ['orla-1', 'orla-2'].map((key) => ({
                type: 'OWNS',
                from: { type: 'Person', key },
                to: { type: 'Vehicle', key: 'HX99SEC' },
              })),
            },
            inH(),
          ),
        );
        const ids = (h.json as { entityIds: string[] }).entityIds;
        expect(ids.slice(0, 3)).toEqual([orla.one, orla.two, orla.phone]);
        pairId = [orla.one, orla.two].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))).join('-');
      });

      it("a member's run proposes the pair from HALYARD's facts: the member sees it, the outsider meets it nowhere", async () => {
        await ok(mole('POST', '/api/duplicates/runs', {}));
        const theirs = (await pairsOf(mole)).find((p) => p.id === pairId);
        // The evidence holds what only HALYARD knows: the pair is HALYARD's to see.
        expect(theirs?.evidence.join(' ')).toContain('1979-11-23');
        expect(theirs?.ops).toEqual(expect.arrayContaining([kestrel, halyard]));
        expect((await ok(mole('GET', `/api/duplicates/${pairId}`))).text).toContain('1979-11-23');

        // Both records are KESTREL's too, so the outsider may read them; the pair, never.
        await ok(outsider('GET', `/api/entities/${orla.one}`));
        expect((await pairsOf(outsider)).map((p) => p.id)).not.toContain(pairId);
        const missing = await outsider('GET', '/api/duplicates/e999998-e999999');
        const hidden = await outsider('GET', `/api/duplicates/${pairId}`);
        expect(hidden.status).toBe(404);
        expect((hidden.json as Err).error.code).toBe((missing.json as Err).error.code);
        for (const step of ['accept', 'reject', 'defer', 'undo']) {
          const r = await outsider('POST', `/api/duplicates/${pairId}/${step}`, {});
          expect(r.status, `${step}: ${r.text}`).toBe(404);
          expect(secrets(r)).toEqual([]);
        }
        for (const r of await everyRead(outsider)) expect(secrets(r), r.text.slice(0, 300)).toEqual([]);
        // Nor does the outsider's bulk step decide it (it rejects only what they see).
        const bulk = await ok(
          outsider('POST', '/api/duplicates/bulk', { action: 'reject', minWeight: 1000, type: 'Person' }),
        );
        expect(secrets(bulk)).toEqual([]);
        const counts = await ok(outsider('GET', '/api/duplicates?state=new&limit=1'));
        expect((counts.json as Page<Pair>).total).toBe((await pairsOf(outsider)).length);
        expect((await pairsOf(mole)).map((p) => p.id)).toContain(pairId);
      });

      it("the outsider's own run finds the pair from KESTREL's facts: its evidence replaces the member's (narrower wins)", async () => {
        await ok(outsider('POST', '/api/duplicates/runs', {}));
        const seen = (await pairsOf(outsider)).find((p) => p.id === pairId);
        expect(seen?.ops).toEqual([kestrel]);
        for (const r of await everyRead(outsider)) expect(secrets(r), r.text.slice(0, 300)).toEqual([]);
        // The member now sees the same, narrower evidence; their next run keeps it.
        await ok(mole('POST', '/api/duplicates/runs', {}));
        const theirs = (await pairsOf(mole)).find((p) => p.id === pairId);
        expect(theirs).toMatchObject({ ops: [kestrel], evidence: seen?.evidence });
        expect(theirs?.evidence.join(' ')).not.toContain('1979-11-23');
        // A decision on it is the outsider's to make.
        expect((await ok(outsider('POST', `/api/duplicates/${pairId}/defer`, {}))).json).toMatchObject({
          state: 'deferred',
        });
      });
    });
  });
}

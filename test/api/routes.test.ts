// The HTTP API end to end against a real server and a real SQLite file: CRUD with provenance and grading,
// search, expansion, paths, views, merges, annotations, charts, pagination, limits, the one error shape,
// the access-rule guard and the static web app.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { startHarness, type Harness } from './server-harness.ts';

type Err = { error: { code: string; message: string; path?: unknown[] } };
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ limits: { maxExpansionNodes: 6, bodyBytes: 64 * 1024 } });
});
afterAll(async () => h.close());

describe('graph CRUD with provenance and grading', () => {
  const ids: Record<string, string> = {};

  it('creates a report, entities resting on it and a link; reads them back with grading', async () => {
    const rep = await h.call('POST', '/api/reports', {
      ref: 'INT-7',
      date: '2024-05-01',
      author: 'DS Khan',
      text: 'Seen together',
      source: 2,
      intel: 'B',
      handling: 'P',
    });
    expect(rep.status, rep.text).toBe(201);
    const names = ['Ann Lee', 'Ben Ray', 'Cat Fox', 'Dev Oak', 'Eve Ash', 'Fay Elm', 'Gus Yew', 'Hal Fir'];
    for (const n of names) {
      const r = await h.call('POST', '/api/entities', { type: 'Person', label: n, reports: ['INT-7'] });
      expect(r.status, r.text).toBe(201);
      ids[n] = (r.json as { id: string }).id;
    }
    const again = await h.call('POST', '/api/entities', {
      type: 'Person',
      label: 'Ann  Lee',
      reports: ['INT-7'],
    });
    expect(again.status).toBe(200);
    expect((again.json as { id: string }).id).toBe(ids['Ann Lee']);
    // A chain Ann - Ben - Cat - Dev - Eve - Fay - Gus - Hal.
    for (let i = 0; i + 1 < names.length; i++) {
      const l = await h.call('POST', '/api/links', {
        type: 'ASSOCIATE_OF',
        from: { id: ids[names[i]] },
        to: { id: ids[names[i + 1]] },
        weight: i + 1,
        reports: ['INT-7'],
      });
      expect(l.status, l.text).toBe(201);
    }
    const ann = await h.call('GET', `/api/entities/${ids['Ann Lee']}`);
    expect(ann.json).toMatchObject({
      label: 'Ann Lee',
      reports: [{ ref: 'INT-7', source: 2, intel: 'B', handling: 'P' }],
    });
    const links = await h.call('GET', `/api/links?entityId=${ids['Ann Lee']}`);
    expect(links.json).toMatchObject({
      total: 1,
      items: [{ type: 'ASSOCIATE_OF', grading: { source: 2, intel: 'B' } }],
    });
  });

  it('refuses invalid input with the field named, and writes nothing', async () => {
    const v = await h.stores.graph.dataVersion();
    const bad = await h.call('POST', '/api/links', {
      type: 'CALLED',
      from: { id: ids['Ann Lee'] },
      to: { id: ids['Ben Ray'] },
    });
    expect(bad.status).toBe(400);
    expect((bad.json as Err).error.message).toMatch(/CALLED/);
    // An entity named by a bare string: the answer says the two shapes a reference takes.
    const bareId = await h.call('POST', '/api/links', {
      type: 'ASSOCIATE_OF',
      from: ids['Ann Lee'],
      to: { id: ids['Ben Ray'] },
    });
    expect(bareId.status).toBe(400);
    expect(bareId.json).toMatchObject({ error: { code: 'invalid', path: ['body', 'from'] } });
    expect((bareId.json as Err).error.message).toMatch(/\{"id": "e12"\}.*\{"type": "Person", "key"/);
    const cond = await h.call('POST', '/api/reports', {
      ref: 'X',
      date: '2024-01-01',
      author: 'a',
      source: 1,
      intel: 'A',
      handling: 'C',
    });
    expect(cond.json).toMatchObject({ error: { code: 'invalid', path: ['body', 'conditions'] } });
    const grading = await h.call('POST', '/api/reports', {
      ref: 'X',
      date: '2024-01-01',
      author: 'a',
      source: 4,
      intel: 'A',
      handling: 'P',
    });
    expect((grading.json as Err).error.message).toContain('source evaluation 4 is not 1, 2 or 3');
    const type = await h.call('POST', '/api/entities', { type: 'Spaceship', label: 'x' });
    expect((type.json as Err).error.message).toContain('unknown entity type "Spaceship"');
    expect(await h.stores.graph.dataVersion()).toBe(v);
    expect(JSON.stringify([bad.json, cond.json, grading.json, type.json])).not.toMatch(/at .*\.ts:\d+/);
  });

  it('updates and deletes, with 404 for unknown ids', async () => {
    const p = await h.call('PATCH', `/api/entities/${ids['Hal Fir']}`, { properties: { nickname: 'H' } });
    expect(p.json).toMatchObject({ properties: { nickname: 'H' } });
    expect((await h.call('PATCH', '/api/entities/nope', { label: 'x' })).status).toBe(404);
    expect((await h.call('GET', '/api/links/nope')).json).toMatchObject({ error: { code: 'not_found' } });
    expect((await h.call('DELETE', '/api/reports/nope')).status).toBe(404);
  });

  it('paginates every list with offset, limit and total', async () => {
    const page = await h.call('GET', '/api/entities?type=Person&offset=2&limit=3');
    expect(page.json).toMatchObject({ total: 8, offset: 2, limit: 3 });
    expect((page.json as { items: unknown[] }).items).toHaveLength(3);
    for (const path of [
      '/api/links',
      '/api/reports',
      '/api/merges',
      '/api/annotations',
      '/api/charts',
      '/api/imports',
    ]) {
      const r = await h.call('GET', `${path}?limit=1&offset=0`);
      expect(r.status, path).toBe(200);
      // The lists that grow with the data also page by key: their pages say what comes next.
      const keys = ['items', 'limit', 'next', 'offset', 'total'];
      expect(Object.keys(r.json as object).sort(), path).toEqual(keys);
    }
    expect((await h.call('GET', '/api/entities?limit=5000')).json).toMatchObject({
      error: { code: 'invalid', path: ['querystring', 'limit'] },
    });
    // By key through the API: each page's next is the after of the one following it, to the end.
    const people: string[] = [];
    for (let after = ''; ;) {
      const r = await h.call('GET', `/api/entities?type=Person&limit=3${after ? `&after=${after}` : ''}`);
      const p = r.json as { items: Array<{ id: string }>; next: string | null };
      people.push(...p.items.map((e) => e.id));
      if (!p.next) break;
      after = p.next;
    }
    expect(people).toHaveLength(8);
    const whole = (await h.call('GET', '/api/entities?type=Person&limit=100')).json as {
      items: Array<{ id: string }>;
    };
    expect(people).toEqual(whole.items.map((e) => e.id));
    const bad = await h.call('GET', '/api/reports?after=e1');
    expect(bad.status).toBe(400);
    expect((bad.json as Err).error).toMatchObject({ code: 'invalid', path: ['after'] });
    expect((bad.json as Err).error.message).toMatch(/such as r12/);
    const deep = await h.call('GET', '/api/charts?offset=6000');
    expect(deep.status).toBe(400);
    expect((deep.json as Err).error.message).toMatch(/after=/);
  });

  it('searches, expands within the cap, and refuses an expansion over it with how to narrow it', async () => {
    const s = await h.call('GET', '/api/search?q=Cat');
    expect((s.json as { items: Array<{ entity: { id: string } }> }).items[0].entity.id).toBe(ids['Cat Fox']);
    const one = await h.call('GET', `/api/entities/${ids['Dev Oak']}/neighbourhood?hops=1`);
    expect((one.json as { nodes: unknown[] }).nodes).toHaveLength(3);
    const far = await h.call('POST', '/api/neighbourhood', { seeds: [ids['Dev Oak']], hops: 4 });
    expect(far.status).toBe(400);
    expect((far.json as Err).error).toMatchObject({ code: 'limit' });
    expect((far.json as Err).error.message).toContain('more than 6 nodes');
    expect((far.json as Err).error.message).toContain('fewer hops');
    const truncated = await h.call('POST', '/api/neighbourhood', {
      seeds: [ids['Dev Oak']],
      hops: 4,
      limit: 5,
    });
    expect(truncated.json).toMatchObject({ truncated: true });
    const over = await h.call('POST', '/api/neighbourhood', { seeds: [ids['Dev Oak']], hops: 1, limit: 100 });
    expect((over.json as Err).error.message).toContain("above the server's cap of 6");
    expect((await h.call('POST', '/api/neighbourhood', { seeds: ['nope'] })).status).toBe(404);
  });

  it('finds the shortest path and returns the entities and links on it', async () => {
    const r = await h.call('POST', '/api/paths', { from: ids['Ann Lee'], to: ids['Dev Oak'] });
    expect(r.status, r.text).toBe(200);
    const body = r.json as {
      paths: Array<{ nodes: string[]; links: string[] }>;
      subgraph: { nodes: unknown[]; links: unknown[] };
    };
    expect(body.paths[0].nodes).toEqual([ids['Ann Lee'], ids['Ben Ray'], ids['Cat Fox'], ids['Dev Oak']]);
    expect(body.subgraph.nodes).toHaveLength(4);
    expect(body.subgraph.links).toHaveLength(3);
  });

  it('returns a view within the interactive cap', async () => {
    const v = await h.call('POST', '/api/view', { filter: { linkTypes: ['ASSOCIATE_OF'] } });
    expect((v.json as { links: unknown[] }).links).toHaveLength(7);
  });

  it('merges two entities and undoes the merge', async () => {
    const dup = await h.call('POST', '/api/entities', { type: 'Person', label: 'A. Lee' });
    const dupId = (dup.json as { id: string }).id;
    await h.call('POST', '/api/links', {
      type: 'ASSOCIATE_OF',
      from: { id: dupId },
      to: { id: ids['Eve Ash'] },
    });
    const m = await h.call('POST', '/api/merges', { keepId: ids['Ann Lee'], dropId: dupId });
    expect(m.status, m.text).toBe(201);
    const mergeId = (m.json as { id: string }).id;
    expect((await h.call('GET', `/api/entities/${dupId}`)).status).toBe(404);
    expect((await h.call('GET', `/api/links?entityId=${ids['Ann Lee']}`)).json).toMatchObject({ total: 2 });
    const self = await h.call('POST', '/api/merges', { keepId: ids['Ann Lee'], dropId: ids['Ann Lee'] });
    expect(self.status).toBe(409);
    const undo = await h.call('POST', `/api/merges/${mergeId}/undo`);
    expect(undo.status, undo.text).toBe(200);
    expect((await h.call('GET', `/api/entities/${dupId}`)).status).toBe(200);
    expect((await h.call('GET', '/api/merges')).json).toMatchObject({
      total: 1,
      items: [{ id: mergeId, undone: true }],
    });
  });

  it('annotates and saves charts', async () => {
    const a = await h.call('POST', '/api/annotations', {
      target: { kind: 'entity', id: ids['Cat Fox'] },
      text: 'Runner',
      tags: ['runner'],
      target_flag: true,
    });
    expect(a.status, a.text).toBe(201);
    const aid = (a.json as { id: string }).id;
    expect(
      (await h.call('PATCH', `/api/annotations/${aid}`, { tags: ['runner', 'courier'] })).json,
    ).toMatchObject({ tags: ['runner', 'courier'] });
    expect(
      (await h.call('GET', `/api/annotations?kind=entity&targetId=${ids['Cat Fox']}`)).json,
    ).toMatchObject({ total: 1 });
    expect((await h.call('GET', '/api/annotations?kind=entity')).status).toBe(400);
    expect((await h.call('DELETE', `/api/annotations/${aid}`)).status).toBe(200);
    const c = await h.call('POST', '/api/charts', { name: 'Op Oak', state: { nodes: [ids['Cat Fox']] } });
    const cid = (c.json as { id: string }).id;
    expect((await h.call('PUT', `/api/charts/${cid}`, { name: 'Op Oak 2', state: {} })).json).toMatchObject({
      name: 'Op Oak 2',
    });
    expect((await h.call('PUT', '/api/charts/nope', { name: 'x', state: {} })).status).toBe(404);
    expect((await h.call('DELETE', `/api/charts/${cid}`)).status).toBe(200);
  });

  it('refuses a body over the size cap with a 413 in the one error shape', async () => {
    const r = await h.call('POST', '/api/entities', {
      type: 'Person',
      label: 'x',
      properties: { big: 'y'.repeat(70_000) },
    });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { code: 'too_large' } });
  });

  it('reports health with store kind, data version and counts', async () => {
    const r = await fetch(h.url + '/api/health', { headers: h.auth });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({
      status: 'ok',
      store: { kind: 'sqlite' },
      counts: { entities: 9 },
    });
  });
});

describe('interactive views are bounded', () => {
  let b: Harness;
  const people = ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Flo'];
  type Sub = { nodes: Array<{ id: string; type: string }>; links: unknown[]; truncated: boolean };
  beforeAll(async () => {
    b = await startHarness({ limits: { maxViewLinks: 3, maxViewQueue: 1, maxExpansionNodes: 100 } });
    // A chain of six people (five links) and ten places nobody is linked to.
    const r = await b.call('POST', '/api/batch', {
      entities: [
        ...people.map((label) => ({ type: 'Person', label })),
        ...Array.from({ length: 10 }, (_, i) => ({ type: 'Location', label: `Place ${i}` })),
      ],
      links: people.slice(1).map((label, i) => ({
        type: 'ASSOCIATE_OF',
        from: { type: 'Person', key: people[i].toLowerCase() },
        to: { type: 'Person', key: label.toLowerCase() },
      })),
    });
    expect(r.status, r.text).toBe(200);
  });
  afterAll(async () => b.close());

  it('refuses a view over the link cap with 413 and how to narrow it, or the job API', async () => {
    const r = await b.call('POST', '/api/view', { filter: { linkTypes: ['ASSOCIATE_OF'] } });
    expect(r.status, r.text).toBe(413);
    const e = (r.json as Err).error;
    expect(e.code).toBe('view_too_large');
    expect(e.message).toContain('more than 3 links');
    expect(e.message).toMatch(/time window/);
    expect(e.message).toContain('POST /api/analysis/jobs');
  });

  it('refuses a view whose entity types hold more than twice the cap, before reading it', async () => {
    for (const filter of [{}, { entityTypes: ['Location'] }]) {
      const r = await b.call('POST', '/api/view', { filter });
      expect(r.status, r.text).toBe(413);
      expect((r.json as Err).error.message).toContain('more than 6 entities');
    }
  });

  it('serves a truncated view at the lower of the limit and the cap, its links and their ends only', async () => {
    const two = await b.call('POST', '/api/view', { filter: {}, limit: 2 });
    expect(two.status, two.text).toBe(200);
    expect(two.json).toMatchObject({ truncated: true });
    expect((two.json as Sub).links).toHaveLength(2);
    expect((two.json as Sub).nodes.map((n) => n.type)).toEqual(['Person', 'Person', 'Person']);
    const many = await b.call('POST', '/api/view', { filter: {}, limit: 1_000_000 });
    expect(many.status, many.text).toBe(200);
    expect((many.json as Sub).links).toHaveLength(3);
    expect(many.json).toMatchObject({ truncated: true });
    const places = await b.call('POST', '/api/view', { filter: { entityTypes: ['Location'] }, limit: 3 });
    expect(places.json).toMatchObject({ nodes: [], links: [], truncated: true });
  });

  it('refuses an expansion holding more links than the cap', async () => {
    const ada = (
      (await b.call('GET', '/api/search?q=Ada')).json as { items: Array<{ entity: { id: string } }> }
    ).items[0].entity.id;
    const near = await b.call('POST', '/api/neighbourhood', { seeds: [ada], hops: 2 });
    expect(near.status, near.text).toBe(200);
    const far = await b.call('POST', '/api/neighbourhood', { seeds: [ada], hops: 4 });
    expect(far.status, far.text).toBe(413);
    expect((far.json as Err).error).toMatchObject({ code: 'expansion_too_large' });
    expect((far.json as Err).error.message).toContain('more than the interactive cap of 3 links');
  });

  it('builds one view at a time: the others wait their turn or, past the queue, get 429 busy', async () => {
    const all = await Promise.all(
      Array.from({ length: 6 }, () => b.call('POST', '/api/view', { filter: {}, limit: 3 })),
    );
    for (const r of all) {
      expect([200, 429], r.text).toContain(r.status);
      if (r.status === 429) {
        expect((r.json as Err).error.code).toBe('busy');
        expect(r.headers.get('retry-after')).toBe('1');
      }
    }
    // Clients that leave while waiting give up their place: the turn comes round again.
    const gone = Array.from({ length: 4 }, () => {
      const c = new AbortController();
      const p = fetch(b.url + '/api/view', {
        method: 'POST',
        headers: { ...b.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ filter: {}, limit: 3 }),
        signal: c.signal,
      }).catch(() => null);
      c.abort();
      return p;
    });
    await Promise.all(gone);
    await new Promise((r) => setTimeout(r, 50));
    const after = await b.call('POST', '/api/view', { filter: {}, limit: 3 });
    expect(after.status, after.text).toBe(200);
  });
});

describe('server wiring', () => {
  it('a route without an access rule fails at registration', async () => {
    await expect(
      buildApp({
        stores: h.stores,
        plugins: [
          async (app) => {
            app.post('/api/unguarded', async () => ({ ok: true }));
          },
        ],
      }),
    ).rejects.toThrow(/access/);
  });

  it('serves the built web app with SPA fallback, and JSON 404s under /api', async () => {
    const web = join(h.dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Linkchart</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    const s = await startHarness({ webDist: web });
    try {
      const root = await fetch(s.url + '/');
      expect(await root.text()).toContain('<title>Linkchart</title>');
      expect(await (await fetch(s.url + '/charts/42')).text()).toContain('<title>Linkchart</title>');
      expect(await (await fetch(s.url + '/assets/app.js')).text()).toBe('console.log(1)');
      expect(await (await fetch(s.url + '/..%2f..%2fetc%2fpasswd')).text()).toContain(
        '<title>Linkchart</title>',
      );
      const api = await fetch(s.url + '/api/nothing-here');
      expect(api.status).toBe(404);
      expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await s.close();
    }
  });

  it('publishes the OpenAPI document and a readable docs page', async () => {
    const doc = (await (await fetch(h.url + '/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/entities', '/api/neighbourhood', '/api/imports', '/api/exports']),
    );
    const page = await fetch(h.url + '/api/docs/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });
});

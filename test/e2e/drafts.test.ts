// Nothing lost (issue 15, item 4), end to end: real server with the demo network, real Chromium. The chart being
// worked on comes back after a reload and in a second browser of the same user (the server keeps it as their
// draft); leaving and "New chart" ask first while there are unsaved changes; the address names the open chart;
// undoing a drawn entity deletes it from the store (search no longer finds it), redo writes it again, and an
// entity others have linked to since stays, with the reason said.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Dialog, Page } from 'playwright-core';
import {
  OUT,
  ensureWebBuilt,
  launch,
  login,
  nodeScreenPosition,
  type Server,
  startServer,
} from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');

interface ChartShape {
  nodes: string[];
  edges: number;
  positions: Record<string, [number, number]>;
}

describe.skipIf(!haveChromium)('drafts, undo and the address (Chromium)', () => {
  let server: Server;
  const browsers: Array<{ context: BrowserContext; close(): Promise<void> }> = [];
  let page: Page;
  const dialogs: Array<{ type: string; message: string }> = [];
  /** What the next confirm() answers; beforeunload is always accepted (the test wants to leave). */
  let answer = true;
  const errors: string[] = [];

  const onDialog = (d: Dialog): void => {
    dialogs.push({ type: d.type(), message: d.message() });
    void (d.type() === 'beforeunload' || answer ? d.accept() : d.dismiss());
  };
  const shot = (p: Page, name: string) => p.screenshot({ path: join(OUT, `drafts-${name}.png`) });

  const shape = (p: Page) =>
    p.evaluate((): ChartShape => {
      const g = window.__linkchart!.graph;
      const positions: Record<string, [number, number]> = {};
      g.forEachNode((n, a) => (positions[n] = [a.x as number, a.y as number]));
      return { nodes: g.nodes().sort(), edges: g.size, positions };
    });

  /** The user's draft as the server holds it (real HTTP from the page, with its session). */
  const serverDraft = (p: Page) =>
    p.evaluate(async () => {
      // A draft is kept per operation: ask for the one the page works in (remembered in the browser).
      const op = Object.keys(localStorage).find((k) => k.startsWith('linkchart.operation.'));
      const headers: Record<string, string> = op
        ? { 'x-linkchart-operation': localStorage.getItem(op)! }
        : {};
      const r = await fetch('/api/drafts/current', { credentials: 'include', headers });
      const j = (await r.json()) as {
        draft: {
          name: string;
          chartId: string | null;
          state: { nodes?: string[]; unsaved?: boolean };
        } | null;
      };
      return j.draft;
    });

  /** Waits until the server's draft holds exactly the chart on the page. */
  async function draftMatches(p: Page): Promise<void> {
    const want = (await shape(p)).nodes;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const d = await serverDraft(p);
      if (d && JSON.stringify([...(d.state.nodes ?? [])].sort()) === JSON.stringify(want)) return;
      if (Date.now() > deadline) throw new Error(`the draft never matched the chart (${want.length} nodes)`);
      await p.waitForTimeout(300);
    }
  }

  const search = (p: Page, q: string) =>
    p.evaluate(async (text) => {
      const r = await fetch(`/api/search?q=${encodeURIComponent(text)}&limit=20`, { credentials: 'include' });
      const j = (await r.json()) as { items: Array<{ entity: { id: string; label: string } }> };
      return j.items.map((h) => h.entity);
    }, q);

  async function drawEntity(p: Page, label: string): Promise<string> {
    await p.click('[data-testid=draw-menu]');
    await p.click('text=New entity…');
    await p.waitForSelector('[data-testid=entity-dialog]');
    await p.fill('[data-testid=entity-label]', label);
    await p.fill('[data-testid=entity-props]', 'nickname = Ghost');
    await p.selectOption('[data-testid=report-source]', '2');
    await p.selectOption('[data-testid=report-intel]', 'B');
    await p.click('[data-testid=entity-save]');
    await p.waitForSelector('[data-testid=entity-dialog]', { state: 'detached' });
    return p.evaluate((l) => window.__linkchart!.graph.findNode((_n, a) => a.label === l) ?? '', label);
  }

  async function newBrowser(): Promise<Page> {
    const b = await launch({ width: 1366, height: 768 });
    browsers.push(b);
    const p = b.context.pages()[0] ?? (await b.context.newPage());
    p.on('dialog', onDialog);
    p.on('pageerror', (e) => errors.push(e.message));
    return p;
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer();
    page = await newBrowser();
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await server?.stop();
  });

  it('a reload brings the unsaved chart back as it was, after asking before leaving', async () => {
    await login(page, server);
    await page.waitForSelector('[data-testid=start-central]');
    expect(await serverDraft(page)).toBeNull();
    await page.click('[data-testid=start-central]');
    await page.waitForFunction(() => window.__linkchart!.graph.order > 20, null, { timeout: 30_000 });
    await page.waitForTimeout(1000);
    await draftMatches(page);
    const before = await shape(page);
    expect((await serverDraft(page))?.state.unsaved).toBe(true);
    await shot(page, '01-before-reload');

    dialogs.length = 0;
    await page.reload();
    // Leaving with changes not saved as a chart asked first (the test said yes).
    expect(dialogs.map((d) => d.type)).toContain('beforeunload');
    await page.waitForFunction((n) => window.__linkchart!.graph.order === n, before.nodes.length, {
      timeout: 20_000,
    });
    const after = await shape(page);
    expect(after.nodes).toEqual(before.nodes);
    expect(after.edges).toBe(before.edges);
    for (const id of before.nodes) {
      expect(after.positions[id][0]).toBeCloseTo(before.positions[id][0], 6);
      expect(after.positions[id][1]).toBeCloseTo(before.positions[id][1], 6);
    }
    await page.waitForSelector('[data-testid=notice]:has-text("is back as you left it")');
    await shot(page, '02-after-reload');
  });

  it('a second browser of the same user gets the same draft', async () => {
    const other = await newBrowser();
    await login(other, server);
    const want = await shape(page);
    await other.waitForFunction((n) => window.__linkchart!.graph.order === n, want.nodes.length, {
      timeout: 20_000,
    });
    expect((await shape(other)).nodes).toEqual(want.nodes);
    await shot(other, '03-second-browser');
    await browsers.pop()!.close();
  });

  it('undo of a drawn entity deletes it from the store (search no longer finds it); redo writes it again', async () => {
    const label = 'Drafts Ghost Courier';
    const id = await drawEntity(page, label);
    expect(id).toBeTruthy();
    expect((await search(page, label)).map((e) => e.label)).toContain(label);
    await shot(page, '04-drawn');

    await page.click('button[title="Undo (ctrl-z)"]');
    await page.waitForFunction((n) => !window.__linkchart!.graph.hasNode(n), id);
    await page.waitForSelector('[data-testid=notice]:has-text("was deleted from the store")');
    expect((await search(page, label)).map((e) => e.label)).not.toContain(label);
    // The search box, as the analyst uses it, finds nothing either.
    await page.press('body', '/');
    await page.keyboard.type('Drafts Ghost');
    await page.waitForTimeout(800);
    const suggested = await page.$$eval('[data-testid=suggestions] div', (ds) =>
      ds.map((d) => d.textContent),
    );
    expect(suggested.join(' ')).not.toContain(label);
    await shot(page, '05-undone-search-empty');
    await page.keyboard.press('Escape');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await page.click('button[title="Redo (ctrl-y)"]');
    await page.waitForSelector('[data-testid=notice]:has-text("written to the store again")');
    const found = await search(page, label);
    expect(found.map((e) => e.label)).toContain(label);
    const again = found.find((e) => e.label === label)!.id;
    expect(await page.evaluate((n) => window.__linkchart!.graph.hasNode(n), again)).toBe(true);
    await shot(page, '06-redone');

    // Undo again takes the re-written one (its new id) out of the store.
    await page.click('button[title="Undo (ctrl-z)"]');
    await page.waitForFunction((n) => !window.__linkchart!.graph.hasNode(n), again);
    await page.waitForSelector('[data-testid=notice]:has-text("was deleted from the store")');
    expect((await search(page, label)).map((e) => e.label)).not.toContain(label);
  });

  it('an entity others have linked to since stays in the store, and the app says so', async () => {
    const label = 'Drafts Linked Lookout';
    const id = await drawEntity(page, label);
    const partner = await page.evaluate(
      () => window.__linkchart!.graph.filterNodes((n, a) => a.etype === 'Person')[0],
    );
    // Someone else links to it meanwhile (through the API, as another window or an import would).
    const status = await page.evaluate(
      async ([a, b]) => {
        const csrf = document.cookie
          .split(';')
          .map((c) => c.trim().split('='))
          .find(([k]) => k.includes('csrf'))?.[1];
        const r = await fetch('/api/batch', {
          method: 'POST',
          credentials: 'include',
          // In the operation the page works in (another window of it, or an import into it).
          headers: {
            'content-type': 'application/json',
            'x-csrf-token': decodeURIComponent(csrf ?? ''),
            'x-linkchart-operation':
              localStorage.getItem(
                Object.keys(localStorage).find((k) => k.startsWith('linkchart.operation.'))!,
              ) ?? '',
          },
          body: JSON.stringify({
            reports: [
              {
                ref: 'DRAFTS-E2E-OTHER',
                date: '2024-05-01',
                author: 'other desk',
                source: 2,
                intel: 'C',
                handling: 'P',
              },
            ],
            links: [{ type: 'ASSOCIATE_OF', from: { id: a }, to: { id: b }, reports: ['DRAFTS-E2E-OTHER'] }],
          }),
        });
        return r.status;
      },
      [id, partner],
    );
    expect(status).toBe(200);
    await page.click('button[title="Undo (ctrl-z)"]');
    await page.waitForFunction((n) => !window.__linkchart!.graph.hasNode(n), id);
    await page.waitForSelector('[data-testid=notice]:has-text("stays in the store")');
    expect(await page.textContent('[data-testid=notice]')).toContain('gained 1 link from others');
    await shot(page, '07-stays');
    expect((await search(page, label)).map((e) => e.label)).toContain(label);
  });

  it('undo of a drawn link deletes it from the store; redo after the entity came back links the new one', async () => {
    const id = await drawEntity(page, 'Drafts Link End');
    const other = await page.evaluate(
      (me) => window.__linkchart!.graph.filterNodes((n, a) => a.etype === 'Person' && n !== me)[0],
      id,
    );
    await page.evaluate(
      ([a, b]) => {
        const c = window.__linkchart!;
        c.graph.mergeNodeAttributes(a, {
          x: c.graph.getNodeAttribute(b, 'x') + 30,
          y: c.graph.getNodeAttribute(b, 'y'),
        });
        c.focus(a);
      },
      [id, other],
    );
    await page.waitForTimeout(900);
    const pa = await nodeScreenPosition(page, id);
    await page.mouse.click(pa.x, pa.y);
    const pb = await nodeScreenPosition(page, other);
    await page.keyboard.down('Shift');
    await page.mouse.click(pb.x, pb.y);
    await page.keyboard.up('Shift');
    expect(await page.evaluate(() => window.__linkchart!.selectedIds())).toEqual([id, other]);
    await page.click('[data-testid=draw-menu]');
    await page.click('text=New link…');
    await page.waitForSelector('[data-testid=link-dialog]');
    await page.selectOption('[data-testid=link-type]', 'ASSOCIATE_OF');
    await page.click('[data-testid=link-save]');
    await page.waitForSelector('[data-testid=link-dialog]', { state: 'detached' });
    const linkOf = (a: string) =>
      page.evaluate(
        ([x, y]) =>
          window.__linkchart!.graph.edges(x).find((e) => window.__linkchart!.graph.opposite(x, e) === y),
        [a, other],
      );
    const link = (await linkOf(id))!;
    expect(link).toBeTruthy();
    const status = (path: string) =>
      page.evaluate(async (u) => (await fetch(u, { credentials: 'include' })).status, path);
    expect(await status(`/api/links/${link}`)).toBe(200);

    await page.click('button[title="Undo (ctrl-z)"]');
    await page.waitForFunction((e) => !window.__linkchart!.graph.hasEdge(e), link);
    expect(await status(`/api/links/${link}`)).toBe(404);
    await page.click('button[title="Undo (ctrl-z)"]');
    await page.waitForFunction((n) => !window.__linkchart!.graph.hasNode(n), id);
    expect(await status(`/api/entities/${id}`)).toBe(404);

    await page.click('button[title="Redo (ctrl-y)"]');
    await page.waitForSelector('[data-testid=notice]:has-text("written to the store again")');
    const back = await page.evaluate(
      () => window.__linkchart!.graph.findNode((_n, a) => a.label === 'Drafts Link End') ?? '',
    );
    expect(back).toBeTruthy();
    expect(back).not.toBe(id);
    await page.click('button[title="Redo (ctrl-y)"]');
    await page.waitForSelector('[data-testid=notice]:has-text("linked in the store again")');
    const relinked = (await linkOf(back))!;
    expect(relinked).toBeTruthy();
    expect(relinked).not.toBe(link);
    const stored = await page.evaluate(
      async (u) =>
        (await (await fetch(u, { credentials: 'include' })).json()) as { from: string; to: string },
      `/api/links/${relinked}`,
    );
    expect([stored.from, stored.to].sort()).toEqual([back, other].sort());
    await shot(page, '08-link-redone');
  });

  it('the address names the saved chart; opening the address opens it; an unknown id says so', async () => {
    await page.click('[data-testid=charts-button]');
    await page.fill('[data-testid=chart-name]', 'Drafts e2e chart');
    await page.click('[data-testid=chart-save]');
    await page.waitForSelector('[data-testid=notice]:has-text("saved"), [data-testid=error]');
    expect(await page.$('[data-testid=error]').then((e) => e?.textContent())).toBeUndefined();
    const chartId = new URL(page.url()).searchParams.get('chart');
    expect(chartId).toMatch(/^\d+$/);
    const saved = await shape(page);
    expect((await serverDraft(page))?.chartId).toBe(chartId);

    const other = await newBrowser();
    await other.goto(`${server.url}/?chart=${chartId}`);
    await other.waitForSelector('[data-testid=login]');
    await other.fill('[data-testid=login-name]', server.user);
    await other.fill('[data-testid=login-password]', server.password);
    await other.click('[data-testid=login-submit]');
    await other.waitForFunction((n) => window.__linkchart!.graph.order === n, saved.nodes.length, {
      timeout: 20_000,
    });
    expect((await shape(other)).nodes).toEqual(saved.nodes);
    expect(await other.textContent('.brand')).toContain('Drafts e2e chart');

    await other.goto(`${server.url}/?chart=987654`);
    await other.waitForSelector('[data-testid=error]');
    expect(await other.textContent('[data-testid=error]')).toContain('There is no saved chart "987654"');
    // The draft (the saved chart, unchanged) is still there, and the address names it again.
    await other.waitForFunction((n) => window.__linkchart!.graph.order === n, saved.nodes.length);
    expect(new URL(other.url()).searchParams.get('chart')).toBe(chartId);
    await shot(other, '09-unknown-chart');
    await browsers.pop()!.close();
  });

  it('New chart asks while there are unsaved changes, and starts empty when told to', async () => {
    // Saved just now: nothing unsaved, so New chart does not ask... after an edit it does.
    await page.evaluate(() => {
      const c = window.__linkchart!;
      c.removeNodes([c.graph.nodes()[0]]);
    });
    const before = await shape(page);
    dialogs.length = 0;
    answer = false;
    await page.click('[data-testid=new-chart]');
    expect(dialogs.map((d) => d.message).join('\n')).toContain('not saved as a chart');
    expect((await shape(page)).nodes).toEqual(before.nodes);
    await shot(page, '10-new-chart-kept');

    answer = true;
    dialogs.length = 0;
    await page.click('[data-testid=new-chart]');
    expect(dialogs.length).toBe(1);
    await page.waitForFunction(() => window.__linkchart!.graph.order === 0);
    expect(new URL(page.url()).searchParams.get('chart')).toBeNull();
    await page.waitForSelector('[data-testid=start-central]');
    await draftMatches(page);
    expect((await serverDraft(page))?.chartId).toBeNull();
    await shot(page, '11-new-chart');
    // The top bar with New chart at full HD as well as on the 1366-pixel laptop.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await shot(page, '12-new-chart-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    // An empty chart has nothing to lose: leaving does not ask.
    dialogs.length = 0;
    await page.reload();
    await page.waitForSelector('[data-testid=start-central]');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});

// Rise and fall end to end: real server over the demo network, real Chromium at 1366x768 and 1920x1080.
// The analyst selects two people, asks for betweenness month by month (one "windows" job on the server),
// and sees small multiples: a panel for each of the two, then (on request) each month's top 5 too, month names on
// the x axis, every panel on one y scale; clicking a panel selects that person on the chart; the "line per
// person" toggle draws the same people as lines on one chart.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  OUT,
  ensureWebBuilt,
  launch,
  login,
  nodeScreenPosition,
  startServer,
  type Server,
} from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');
const MONTH = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2}$/;

describe.skipIf(!haveChromium)('rise and fall (Chromium)', () => {
  let server: Server;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const errors: string[] = [];
  let chosen: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer();
    const b = await launch({ width: 1366, height: 768 });
    closeBrowser = b.close;
    page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await login(page, server);
  }, 240_000);
  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(OUT, name) });
  };

  it('draws small multiples on one scale, month names on the axis, from one job', async () => {
    await page.click('[data-testid=load-demo]');
    await page.waitForFunction(() => (window.__linkchart?.graph.order ?? 0) > 0, null, { timeout: 60_000 });
    await page.waitForSelector('[data-testid=job]', { state: 'detached', timeout: 60_000 });
    // Two people of the chart, the least connected ones (unlikely to be in a month's top 5), selected.
    chosen = await page.evaluate(() => {
      const g = window.__linkchart!.graph;
      return g
        .filterNodes((_n, a) => a.etype === 'Person')
        .sort((x, y) => g.degree(x) - g.degree(y) || (x < y ? -1 : 1))
        .slice(0, 2);
    });
    for (const [i, id] of chosen.entries()) {
      await page.evaluate((n) => window.__linkchart!.focus(n), id);
      await page.waitForTimeout(700);
      const at = await nodeScreenPosition(page, id);
      if (i) await page.keyboard.down('Shift');
      await page.mouse.click(at.x, at.y);
      if (i) await page.keyboard.up('Shift');
    }
    expect((await page.evaluate(() => window.__linkchart!.selectedIds())).sort()).toEqual([...chosen].sort());

    // Count the analysis jobs the page starts: Rise and fall is one.
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/analysis/jobs')) posts.push(r.postData() ?? '');
    });
    await page.click('[data-testid=timeline-toggle]');
    await page.click('[data-testid=timeline-tab-rise]');
    await page.click('[data-testid=rise-run]');
    await page.waitForSelector('[data-testid=rise-chart][data-mode=multiples]', { timeout: 150_000 });
    expect(posts).toHaveLength(1);
    const sent = JSON.parse(posts[0]) as { request: { kind: string; follow: string[]; step: string } };
    expect(sent.request).toMatchObject({ kind: 'windows', step: 'month' });
    expect([...sent.request.follow].sort()).toEqual([...chosen].sort());

    // The two selected people first, alone; then with each month's top 5.
    const first = await page.$$eval('[data-testid=rise-panel]', (els) =>
      els.map((e) => [e.getAttribute('data-id'), e.classList.contains('sel')]),
    );
    expect(first.map(([id]) => id).sort()).toEqual([...chosen].sort());
    expect(first.every(([, sel]) => sel)).toBe(true);
    await shot('rise-selected-1366.png');
    await page.check('[data-testid=rise-with-top]');
    const panels = await page.$$eval('[data-testid=rise-panel]', (els) =>
      els.map((e) => {
        const circles = [...e.querySelectorAll('circle')].map((c) => Number(c.getAttribute('cy')));
        const grid = [...e.querySelectorAll('svg > line')].map((l) => Number(l.getAttribute('y1')));
        return {
          id: e.getAttribute('data-id')!,
          sel: e.classList.contains('sel'),
          circles,
          grid,
          ticks: [...e.querySelectorAll('svg > text')].map((t) => t.textContent ?? ''),
        };
      }),
    );
    expect(panels.length).toBeGreaterThanOrEqual(5);
    // The two selected people have their panels, marked.
    for (const id of chosen) expect(panels.find((p) => p.id === id)?.sel, id).toBe(true);
    const months = panels[0].circles.length;
    expect(months).toBeGreaterThanOrEqual(6);
    for (const p of panels) {
      expect(p.circles).toHaveLength(months);
      for (const t of p.ticks) expect(t).toMatch(MONTH);
      expect(p.ticks.length).toBeGreaterThanOrEqual(2);
    }
    // One scale: every panel has its zero and its top at the same height; the first panel (the highest
    // peak) reaches the top, and a panel whose peak is lower stays below it.
    const [zero, topY] = panels[0].grid;
    for (const p of panels) expect(p.grid).toEqual([zero, topY]);
    expect(Math.min(...panels[0].circles)).toBeCloseTo(topY, 1);
    const lowest = panels[panels.length - 1];
    expect(Math.min(...lowest.circles)).toBeGreaterThan(topY + 1);
    const about = await page.textContent('[data-testid=rise-about]');
    expect(about).toMatch(
      /Betweenness, \d+ months (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} to/,
    );
    await shot('rise-multiples-1366.png');
  }, 240_000);

  it('clicking a panel selects that person on the chart', async () => {
    const target = await page.$eval('[data-testid=rise-panel]:not(.sel)', (e) => e.getAttribute('data-id')!);
    await page.click(`[data-testid=rise-panel][data-id="${target}"]`);
    await page.waitForFunction((id) => window.__linkchart!.selectedIds().join() === id, target, {
      timeout: 30_000,
    });
    expect(
      await page.$eval(`[data-testid=rise-panel][data-id="${target}"]`, (e) => e.classList.contains('sel')),
    ).toBe(true);
  }, 60_000);

  it('toggles to a line per person, with month names on the axis', async () => {
    const people = await page.$$eval('[data-testid=rise-panel]', (e) => e.length);
    await page.click('[data-testid=rise-mode-lines]');
    await page.waitForSelector('[data-testid=rise-chart][data-mode=lines]');
    const series = await page.$$eval('[data-testid=rise-chart] g[data-series]', (g) =>
      g.map((x) => x.querySelectorAll('circle').length),
    );
    expect(series).toHaveLength(people);
    const ticks = await page.$$eval('[data-testid=rise-chart] > text', (t) =>
      t.map((x) => x.textContent ?? ''),
    );
    expect(ticks.filter((t) => MONTH.test(t)).length).toBeGreaterThanOrEqual(4);
    await shot('rise-lines-1366.png');
    // A legend entry picks the person too.
    const other = await page.$eval('[data-testid=rise-legend-item]:not(.sel)', (e) =>
      e.getAttribute('data-id')!,
    );
    await page.click(`[data-testid=rise-legend-item][data-id="${other}"]`);
    await page.waitForFunction((id) => window.__linkchart!.selectedIds().join() === id, other, {
      timeout: 30_000,
    });
  }, 60_000);

  it('fits 1920x1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(500);
    await shot('rise-lines-1920.png');
    await page.click('[data-testid=rise-mode-multiples]');
    await page.waitForSelector('[data-testid=rise-chart][data-mode=multiples]');
    await page.waitForTimeout(300);
    await shot('rise-multiples-1920.png');
    expect(errors).toEqual([]);
  }, 60_000);
});

// One truth for every number, people first, rankings over the whole view, and long work off the page
// (issue 15, items 1, 2, 3 and 8), end to end: real server, real Chromium. The demo network for the first
// part; a generated network of about 4,000 entities for the last.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OUT, ensureWebBuilt, launch, login, startServer, type Server } from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');

interface Row {
  id: string;
  rank: number;
  label: string;
  type: string;
  score: string;
}

async function rankRows(page: Page): Promise<Row[]> {
  return page.$$eval('[data-testid=rankings] tbody tr', (trs) =>
    trs.map((tr) => {
      const td = tr.querySelectorAll('td');
      const type = td[2].querySelector('span')?.textContent ?? '';
      return {
        id: tr.getAttribute('data-id') ?? '',
        rank: Number(td[1].textContent),
        label: (td[2].textContent ?? '').slice(0, (td[2].textContent ?? '').length - type.length).trim(),
        type,
        score: td[4].textContent ?? '',
      };
    }),
  );
}

/** Splits one CSV line (quoted cells with doubled quotes). */
function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Clicks an export button and answers the handling confirmation if the chart rests on C-coded intelligence. */
async function exportWithHandling(page: Page, button: string, path: string): Promise<void> {
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.click(button);
  // Whichever comes first: the file, or the confirmation the server asks for (the picture is drawn and
  // sent before the server can ask, which takes more than a few seconds on a busy machine).
  const asked = page
    .waitForSelector('[data-testid=handling-confirm]', { timeout: 120_000 })
    .then(() => true)
    .catch(() => false);
  if (await Promise.race([asked, download.then(() => false)])) {
    await page.fill('[data-testid=handling-justification]', 'Tasking meeting, e2e');
    await page.fill('[data-testid=handling-recipient]', 'DI Test');
    await page.check('[data-testid=handling-ok]');
    await page.click(button);
  }
  await (await download).saveAs(path);
}

describe.skipIf(!haveChromium)('one truth, people first, whole-view rankings (demo network)', () => {
  let server: Server;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const errors: string[] = [];
  const shot = async (name: string) => {
    await page.screenshot({ path: join(OUT, `truth-${name}-1366.png`) });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, `truth-${name}-1920.png`) });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(300);
  };
  let top: Row[] = [];

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

  it('starts from the most central people: a fold-phones person ranking whose top 5 are people', async () => {
    await page.waitForSelector('[data-testid=start-central]');
    await page.click('[data-testid=start-central]');
    await page.waitForFunction(() => window.__linkchart!.graph.order > 8, null, { timeout: 60_000 });
    await page.click('[data-testid=tab-rankings]');
    await page.waitForSelector('[data-testid=rankings] tbody tr');
    const spec = await page.textContent('[data-testid=rank-spec]');
    expect(spec).toMatch(/^Betweenness over the whole filtered view on the server \(\d+ entities, \d+ links/);
    expect(spec).toContain('phones folded into the people who use them');
    expect(spec).toContain('unweighted');
    expect(spec).toContain('ranked among people');
    top = (await rankRows(page)).slice(0, 10);
    expect(top.slice(0, 5).map((r) => r.type)).toEqual(['Person', 'Person', 'Person', 'Person', 'Person']);
    expect(top.map((r) => r.rank)).toEqual([...top.map((r) => r.rank)].sort((a, b) => a - b));
    // Over all entity types of the person network, people still lead: phones are folded away.
    await page.selectOption('[data-testid=rank-type]', '');
    const all = await rankRows(page);
    expect(all.some((r) => r.type === 'Phone')).toBe(false);
    expect(all.slice(0, 5).every((r) => r.type === 'Person')).toBe(true);
    await page.selectOption('[data-testid=rank-type]', 'Person');
    // The people the ranking put first are on the chart, sized by the same scores.
    for (const r of top.slice(0, 8))
      expect(await page.evaluate((id) => window.__linkchart!.graph.hasNode(id), r.id)).toBe(true);
    expect(await page.textContent('[data-testid=size-spec]')).toContain('phones folded');
    await shot('01-people-first');
  }, 240_000);

  it('the disruption lab removes the ranking’s top 5 people over the same network', async () => {
    await page.click('[data-testid=tab-disruption]');
    // Over the whole view, as the ranking was; top 5 by betweenness.
    const selects = page.locator('[data-testid=right-panel] .tabbody select');
    await selects.last().selectOption('store');
    await page.click('[data-testid=run-disruption]');
    await page.waitForSelector('[data-testid=right-panel] table.grid tbody tr:nth-child(6)', {
      timeout: 60_000,
    });
    const removed = await page.$$eval(
      '[data-testid=right-panel] table.grid tbody tr td:nth-child(2)',
      (tds) => tds.map((t) => t.textContent ?? ''),
    );
    expect(removed.slice(1, 6)).toEqual(top.slice(0, 5).map((r) => r.label));
    await shot('02-disruption');
  }, 240_000);

  it('shows the same betweenness for one person in Ranks, Explain, the PDF table and the CSV export', async () => {
    await page.click('[data-testid=tab-rankings]');
    await page.waitForSelector('[data-testid=rankings] tbody tr');
    const first = (await rankRows(page))[0];
    expect(first.score).toMatch(/^\d+\.\d{4}$/);
    await page.click('[data-testid=rankings] tbody tr:first-child td:nth-child(3)');
    await page.click('[data-testid=tab-explain]');
    await page.waitForSelector('[data-testid=explain-value]');
    expect(await page.textContent('[data-testid=explain-value]')).toBe(first.score);
    expect(await page.textContent('[data-testid=explain-rank]')).toContain('Ranks 1 of');
    expect(await page.textContent('[data-testid=explain-spec]')).toContain('phones folded');
    await page.click('[data-testid=run-explain]');
    await page.waitForSelector('[data-testid=explanation]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=explanation]')).toContain('which is why the two differ');
    // The person network's links, with the calls behind each, and the phones behind one opened on the chart.
    await page.click('[data-testid=load-contacts]');
    await page.waitForSelector('[data-testid=contacts] tbody tr', { timeout: 30_000 });
    const calls = Number(
      await page.textContent('[data-testid=contacts] tbody tr:first-child td:nth-child(2)'),
    );
    expect(calls).toBeGreaterThan(0);
    const before = await page.evaluate(() => window.__linkchart!.graph.order);
    await page.click('[data-testid=contacts] tbody tr:first-child [data-testid=open-phones]');
    await page.waitForFunction(() =>
      /calls over \d+ links between \d+ phones/.test(
        document.querySelector('[data-testid=notice]')?.textContent ?? '',
      ),
    );
    expect(await page.textContent('[data-testid=notice]')).toContain(`${calls} calls`);
    expect(await page.evaluate(() => window.__linkchart!.graph.order)).toBeGreaterThanOrEqual(before);
    await shot('03-explain');

    await page.click('[data-testid=export-button]');
    await page.fill('[data-testid=brief-title]', 'Truth briefing');
    await page.fill('[data-testid=brief-author]', 'DC Truth');
    const pdfPath = join(OUT, 'truth-briefing.pdf');
    await exportWithHandling(page, '[data-testid=export-pdf]', pdfPath);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString();
    const line = text.split('\n').find((l) => l.includes(`${first.label} (Person)`));
    expect(line, text).toBeTruthy();
    expect(line).toContain(first.score);
    // The record says what was computed, not fixed text.
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Top entities by Betweenness (people, whole view)');
    expect(flat).toContain('phones folded into the people who use them');
    expect(flat).toContain('ranked among people');
    expect(flat).not.toContain('entities visible on the chart; undirected, weights summed');

    await page.selectOption('[data-testid=data-format]', 'csv-nodes');
    const csvPath = join(OUT, 'truth-nodes.csv');
    await exportWithHandling(page, '[data-testid=export-data]', csvPath);
    const lines = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
    const header = csvCells(lines[0]);
    const col = header.indexOf('betweenness');
    expect(col, header.join(',')).toBeGreaterThan(0);
    const row = lines.map(csvCells).find((c) => c[0] === first.id);
    expect(row).toBeTruthy();
    expect(Number(row![col]).toFixed(4)).toBe(first.score);
    await page.mouse.click(5, 300);
    await page.waitForSelector('.dialog-backdrop', { state: 'detached' });
  }, 240_000);

  it('brings a whole-view ranking’s top 10 onto the chart with their links, and says when it is stale', async () => {
    await page.evaluate(() => window.__linkchart!.clear());
    await page.click('[data-testid=tab-rankings]');
    await page.waitForSelector('[data-testid=rankings] tbody tr');
    // Every ranked person is listed, paged, none on the chart now.
    expect(await page.textContent('[data-testid=rank-count]')).toMatch(
      /^\d+ ranked among people; 0 on the chart/,
    );
    expect(await page.textContent('[data-testid=rank-pager]')).toMatch(/1–50 of \d+/);
    await page.fill('[data-testid=bring-n]', '10');
    await page.click('[data-testid=bring-top]');
    await page.waitForFunction(
      (ids) => ids.every((id) => window.__linkchart!.graph.hasNode(id)),
      top.map((r) => r.id),
      { timeout: 30_000 },
    );
    // With their links: each is joined to something on the chart (its phones, and through them the calls).
    const lonely = await page.evaluate(
      (ids) => ids.filter((id) => window.__linkchart!.graph.degree(id) === 0),
      top.map((r) => r.id),
    );
    expect(lonely).toEqual([]);
    await page.waitForFunction(() =>
      /; 10 on the chart|; 1\d on the chart/.test(
        document.querySelector('[data-testid=rank-count]')?.textContent ?? '',
      ),
    );
    const marks = await page.$$eval('[data-testid=rankings] tbody tr', (trs) =>
      trs.slice(0, 10).map((tr) => tr.querySelectorAll('td')[3].textContent),
    );
    expect(marks).toEqual(Array(10).fill('●'));
    await page.evaluate(() => window.__linkchart!.fit());
    await page.waitForTimeout(800);
    await shot('04-brought-top-10');

    // A chart ranking goes stale when the chart changes, and re-runs in one click.
    await page.selectOption('[data-testid=rank-scope]', 'chart');
    await page.click('[data-testid=run-metric]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=rank-spec]')?.textContent?.includes('entities on the chart'),
    );
    expect(await page.$('[data-testid=rank-stale]')).toBeNull();
    await page.evaluate((id) => window.__linkchart!.removeNodes([id]), top[9].id);
    await page.waitForSelector('[data-testid=rank-stale]');
    expect(await page.textContent('[data-testid=rank-stale]')).toContain('the chart has changed since');
    await shot('05-stale');
    await page.click('[data-testid=rank-rerun]');
    await page.waitForSelector('[data-testid=rank-stale]', { state: 'detached', timeout: 30_000 });
  }, 240_000);

  it('raised no uncaught error in the page', () => {
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!haveChromium)('long work never blocks the page (about 4,000 entities)', () => {
  let server: Server;
  let closeBrowser: () => Promise<void>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer(async (db) => {
      const { openStore } = await import('../../server/store/open-store.ts');
      const { loadSeed } = await import('../../seed/load.ts');
      const stores = await openStore({ ...process.env, LINKCHART_DB: db });
      await loadSeed(stores, { size: 9000 });
      await stores.close();
    });
    const b = await launch({ width: 1366, height: 768 });
    closeBrowser = b.close;
    page = b.context.pages()[0] ?? (await b.context.newPage());
    await login(page, server);
  }, 300_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  it('ranks 4,000 entities with progress while a timer on the page keeps ticking, and cancels', async () => {
    await page.click('[data-testid=tab-rankings]');
    await page.selectOption('[data-testid=rank-network]', 'entities');
    await page.check('[data-testid=rank-weighted]');
    await page.selectOption('[data-testid=rank-type]', '');
    // A timer on the page: the longest gap between its ticks says whether the page ever froze.
    await page.evaluate(() => {
      const w = window as unknown as { __ticks: number[] };
      w.__ticks = [];
      setInterval(() => w.__ticks.push(performance.now()), 50);
      const lt = window as unknown as { __long: Array<[number, number]> };
      lt.__long = [];
      new PerformanceObserver((l) =>
        l.getEntries().forEach((e) => lt.__long.push([Math.round(e.startTime), Math.round(e.duration)])),
      ).observe({ type: 'longtask' });
    });
    const progress: number[] = [];
    await page.click('[data-testid=run-metric]');
    await page.waitForSelector('[data-testid=job]');
    while (await page.$('[data-testid=job]')) {
      const w = await page
        .$eval('[data-testid=job] .progress > div', (d) => parseFloat((d as HTMLElement).style.width))
        .catch(() => NaN);
      if (Number.isFinite(w)) progress.push(w);
      await page.waitForTimeout(30);
    }
    await page.waitForSelector('[data-testid=rankings] tbody tr');
    const spec = await page.textContent('[data-testid=rank-spec]');
    const n = Number(/\((\d+) entities/.exec(spec ?? '')![1]);
    expect(n).toBeGreaterThanOrEqual(4000);
    expect(await page.textContent('[data-testid=rank-count]')).toMatch(new RegExp(`^${n} ranked`));
    expect(
      progress.some((p) => p > 0 && p < 100),
      progress.join(' '),
    ).toBe(true);
    const gaps = await page.evaluate(() => {
      const t = (window as unknown as { __ticks: number[] }).__ticks;
      const long = (window as unknown as { __long: Array<[number, number]> }).__long;
      const d = t.slice(1).map((x, i) => [Math.round(t[i]), Math.round(x - t[i])]);
      return {
        count: t.length,
        max: Math.max(...d.map((x) => x[1])),
        worst: d.sort((a, b) => b[1] - a[1]).slice(0, 5),
        long,
        first: Math.round(t[0]),
        last: Math.round(t[t.length - 1]),
      };
    });
    // A 50 ms timer over the whole run: it fired at least half as often as asked, and never stopped for
    // long (the page once froze for 9.7 s on a chart of this size). The bound allows for a loaded machine:
    // the server's workers share its cores with the browser.
    const expected = (gaps.last - gaps.first) / 50;
    expect(gaps.count, JSON.stringify(gaps)).toBeGreaterThan(expected / 2);
    expect(gaps.max, JSON.stringify(gaps)).toBeLessThan(600);
    await page.screenshot({ path: join(OUT, 'truth-06-4000-ranked-1366.png') });

    // Another measure, cancelled while it runs: the page says so and the ranking shown stays the last one.
    await page.selectOption('[data-testid=metric]', 'closeness');
    await page.click('[data-testid=run-metric]');
    await page.waitForSelector('[data-testid=cancel-job]');
    await page.screenshot({ path: join(OUT, 'truth-07-4000-progress-1366.png') });
    await page.click('[data-testid=cancel-job]');
    await page.waitForSelector('[data-testid=job]', { state: 'detached' });
    expect(await page.textContent('[data-testid=notice]')).toContain('Cancelled');
    expect(await page.textContent('[data-testid=rank-spec]')).toMatch(/^Betweenness/);
    expect(await page.textContent('[data-testid=rank-differs]')).toContain('different measures');
  }, 240_000);
});

// Importing a file from the web app, end to end: real server (npm start's entry), real Chromium. The
// analyst picks a call data file, checks the preview, maps the column the server could not guess, grades
// it, imports it, reads the report, sees the run in the history, and a second import changes nothing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OUT, ensureWebBuilt, launch, login, startServer, type Server } from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');

// "Billed" is not a name the server maps to a duration by itself: the analyst maps it.
const CDR = [
  'Caller,Callee,Start,Billed',
  '07700 900601,07700900602,2024-06-01 10:00,60',
  '07700900601,+44 7700 900602,2024-06-02 11:30,30',
  '07700900602,07700900603,2024-06-03 09:15,12',
].join('\n');

describe.skipIf(!haveChromium)('import from the web app (Chromium)', () => {
  let server: Server;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer();
    const b = await launch({ width: 1366, height: 900 });
    closeBrowser = b.close;
    page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, server);
  });
  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  const pick = (name: string, text: string) =>
    page.setInputFiles('[data-testid=import-file]', {
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(text),
    });

  it('previews, maps, grades and imports a call data file, and shows the report and the history', async () => {
    await page.click('[data-testid=import-button]');
    await page.waitForSelector('[data-testid=import-dialog]');
    await pick('calls-cdr.csv', CDR);
    await page.waitForSelector('[data-testid=import-preview] tbody tr');
    expect(await page.inputValue('[data-testid=import-format]')).toBe('cdr');
    // The header names the server recognised are mapped already; the duration column is not.
    expect(await page.inputValue('[data-testid=map-caller]')).toBe('Caller');
    expect(await page.inputValue('[data-testid=map-start]')).toBe('Start');
    expect(await page.inputValue('[data-testid=map-duration]')).toBe('');
    await page.selectOption('[data-testid=map-duration]', 'Billed');
    await page.selectOption('[data-testid=import-source]', '2');
    await page.selectOption('[data-testid=import-intel]', 'B');
    await page.fill('[data-testid=import-report-ref]', 'CDR-E2E-1');
    await page.click('[data-testid=import-run]');
    await page.waitForSelector('[data-testid=import-report]');
    expect(await page.textContent('[data-testid=import-entities]')).toBe('3 created, 0 matched');
    expect(await page.textContent('[data-testid=import-links]')).toBe('2 created, 0 matched');
    await page.waitForSelector('[data-testid=import-history] tbody tr');
    expect(await page.textContent('[data-testid=import-history] tbody tr:first-child')).toContain(
      'calls-cdr.csv',
    );
    await page.screenshot({ path: join(OUT, 'e2e-import.png') });

    // What landed in the store: numbers in E.164, the calls aggregated with the mapped duration, graded.
    const link = await page.evaluate(async () => {
      const get = async (u: string) => (await fetch(u, { credentials: 'include' })).json();
      const hits = (await get('/api/search?q=447700900601')) as { items: Array<{ entity: { id: string } }> };
      const id = hits.items[0].entity.id;
      const links = (await get(`/api/links?entityId=${id}`)) as {
        items: Array<{ type: string; properties: Record<string, unknown>; grading: unknown }>;
      };
      return links.items.find((l) => l.type === 'CALLED');
    });
    expect(link).toMatchObject({
      properties: { calls: 2, totalDuration: 90 },
      grading: { source: 2, intel: 'B' },
    });

    // The same file again: nothing new, and the history says so.
    await page.click('[data-testid=import-run]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=import-entities]')?.textContent === '0 created, 3 matched',
    );
    // The history reloads after the report shows.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=import-history] tbody tr').length === 2,
    );

    // Show on chart: the three phones and the two CALLED links between them, nothing else.
    await page.click('[data-testid=import-show]');
    await page.waitForSelector('[data-testid=import-dialog]', { state: 'detached' });
    await page.waitForFunction(() => window.__linkchart!.graph.order === 3);
    const onChart = await page.evaluate(() => {
      const c = window.__linkchart!;
      return { labels: c.graph.mapNodes((_n, a) => a.label as string).sort(), links: c.graph.size };
    });
    expect(onChart).toEqual({ labels: ['07700 900601', '07700 900602', '07700 900603'], links: 2 });
    // The time window spans the calls' three days, its end thumb at the end (it stopped half-way when the
    // sliders stepped whole days from the first call's time of day).
    const to = await page.$eval('input[aria-label=To]', (el) => [
      (el as HTMLInputElement).value,
      (el as HTMLInputElement).max,
    ]);
    expect(to).toEqual(['2', '2']);
    // Moving it back a day and forward again keeps the last day's call: nothing is filtered out.
    await page.fill('input[aria-label=To]', '1');
    await page.waitForFunction(() => window.__linkchart!.visibleNodeIds().length === 2);
    await page.fill('input[aria-label=To]', '2');
    await page.waitForFunction(() => window.__linkchart!.visibleNodeIds().length === 3);
    await page.screenshot({ path: join(OUT, 'e2e-import-shown.png') });
  });

  it('names the row of a bad date, and imports nothing from that file', async () => {
    await page.click('[data-testid=import-button]');
    await page.waitForSelector('[data-testid=import-dialog]');
    await pick(
      'bad-calls.csv',
      'Caller,Callee,Start\n07700900611,07700900612,2024-06-01\n07700900611,07700900612,not a date\n',
    );
    await page.waitForSelector('[data-testid=import-preview] tbody tr');
    await page.click('[data-testid=import-run]');
    await page.waitForSelector('[data-testid=import-error]');
    expect(await page.textContent('[data-testid=import-error]')).toMatch(/row 3/i);
    const found = await page.evaluate(async () => {
      const r = await fetch('/api/search?q=447700900611', { credentials: 'include' });
      return ((await r.json()) as { items: unknown[] }).items.length;
    });
    expect(found).toBe(0);
    expect(errors).toEqual([]);
  });

  it('imports an entities file once its type is chosen', async () => {
    await page.keyboard.press('Escape');
    await page.click('[data-testid=import-button]');
    await page.waitForSelector('[data-testid=import-dialog]');
    // The call-records preview (the format guessed from the name) is held back until the entities preview
    // has answered: its late answer must not replace the entities mapping.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const cdrPreview = (u: URL) =>
      u.pathname === '/api/imports/preview' && u.searchParams.get('format') === 'cdr';
    await page.route(cdrPreview, async (route) => {
      await held;
      await route.continue();
    });
    await pick('nominals.csv', 'Name,Notes\nNadia Quillfeather,seen at the dock\nPiotr Zielinski,\n');
    await page.selectOption('[data-testid=import-format]', 'entities');
    await page.waitForSelector('[data-testid=import-entity-type]');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=map-label]') as HTMLSelectElement | null)?.value === 'Name',
    );
    const late = page.waitForResponse((r) => cdrPreview(new URL(r.url())));
    release();
    await late;
    await page.unroute(cdrPreview);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(await page.inputValue('[data-testid=map-label]')).toBe('Name');
    // Without a type the import cannot start, and the dialog says what is missing.
    expect(await page.isDisabled('[data-testid=import-run]')).toBe(true);
    await page.selectOption('[data-testid=import-entity-type]', 'Person');
    await page.click('[data-testid=import-run]');
    await page.waitForSelector('[data-testid=import-report]');
    expect(await page.textContent('[data-testid=import-entities]')).toBe('2 created, 0 matched');
    const found = await page.evaluate(async () => {
      const r = await fetch('/api/search?q=Quillfeather&types=Person', { credentials: 'include' });
      return ((await r.json()) as { items: Array<{ entity: { type: string } }> }).items.map(
        (h) => h.entity.type,
      );
    });
    expect(found).toEqual(['Person']);
    expect(errors).toEqual([]);
  });

  it('looks for duplicates among what a file brought in when asked, and says how many it found', async () => {
    await page.keyboard.press('Escape');
    await page.click('[data-testid=import-button]');
    await page.waitForSelector('[data-testid=import-dialog]');
    // The demo holds Zak Lloyd, born 1976-01-04: a stop check spells him with a c and k.
    await pick('stop-checks.csv', 'Name,dob\nZack Lloyd,1976-01-04\n');
    await page.selectOption('[data-testid=import-format]', 'entities');
    await page.selectOption('[data-testid=import-entity-type]', 'Person');
    await page.check('[data-testid=import-find-duplicates]');
    await page.click('[data-testid=import-run]');
    await page.waitForSelector('[data-testid=import-duplicates]');
    const said = (await page.textContent('[data-testid=import-duplicates]')) ?? '';
    const found = Number(/(\d+) found/.exec(said)?.[1] ?? 0);
    expect(found, said).toBeGreaterThanOrEqual(1);
    // The queue holds the pair, with the new record in it.
    const pairs = await page.evaluate(async () => {
      const r = await fetch('/api/duplicates?limit=100', { credentials: 'include' });
      return ((await r.json()) as { items: Array<{ aLabel: string; bLabel: string }> }).items.map((x) =>
        [x.aLabel, x.bLabel].sort().join(' / '),
      );
    });
    expect(pairs).toContain('Zack Lloyd / Zak Lloyd');
    expect(errors).toEqual([]);
  });
});
